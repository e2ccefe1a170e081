"""`navab-graph show ID --html FILE`: one small self-contained page (inline CSS, the neighbourhood drawing as an
inline SVG image, no script, no network) with everything `show` prints."""
from __future__ import annotations

import base64
from typing import Any

TEMPLATE = r"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Statement {{ s.id }}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",sans-serif;margin:20px auto;
     max-width:1100px;padding:0 14px;color:#1a202c;line-height:1.45}
h1{font-size:1.35em} h2{font-size:1.1em;border-bottom:2px solid #2b6cb0;padding-bottom:3px;margin-top:26px}
table{border-collapse:collapse;font-size:.92em;margin:6px 0} th,td{border:1px solid #cbd5e0;padding:3px 8px;
text-align:left;vertical-align:top} th{background:#edf2f7}
.removed{color:#c53030;font-weight:700} .kept{color:#2f855a;font-weight:700} mark{background:#fefcbf}
.ctx{color:#4a5568} img{max-width:100%;border:1px solid #e2e8f0} .meta{color:#4a5568;font-size:.9em}
</style></head><body>
<h1>Statement <code>{{ s.id }}</code> · {{ s.nation }}</h1>
<section id="triple"><h2>Triple</h2><table>
<tr><th>Question</th><td>{{ s.triple.question or "—" }}</td></tr>
<tr><th>Statement</th><td>{{ s.triple.statement }}</td></tr>
<tr><th>Reverse</th><td>{{ s.triple.reverse or "—" }}</td></tr>
<tr><th>Kind</th><td>{{ s.kind or "—" }}</td></tr>
<tr><th>Speaker / organization</th><td>{{ speakers or "—" }}</td></tr>
<tr><th>Topic</th><td>{{ s.topics|join(", ") or "—" }}</td></tr>
<tr><th>Made by</th><td>{{ made_by }}</td></tr></table></section>
<section id="decision"><h2>Conflict Reduction</h2>
<p class="{{ d.status }}">{{ d.status }}{% if d.round %} in round {{ d.round }}{% endif %}</p>
<p class="meta">issue {{ d.issue or "—" }} · side {{ d.side if d.side is not none else "—" }} ·
dominant side: {{ {True: "yes", False: "no"}.get(d.dominant, "—") }} · weight {{ d.weight if d.weight is not none else "—" }}</p>
{% if d.status == "removed" %}<p>Conflicting statement <code>{{ d.conflicting.id }}</code>: {{ d.conflicting.text or "" }}</p>
<p>Witness path: {% for w in d.witness %}<code>{{ w.id }}</code> {{ w.title or "" }}{% if w.linked_to_next %}
 —[{{ w.linked_to_next|join(", ") }}]→ {% endif %}{% endfor %}</p>{% endif %}
{% if s.removed_because %}<p>Removed because of their conflict with this statement:</p><ul>
{% for r in s.removed_because %}<li><code>{{ r.id }}</code> (round {{ r.removed_round }}): {{ r.text }}</li>{% endfor %}
</ul>{% endif %}
<img alt="neighbourhood graph" src="data:image/svg+xml;base64,{{ svg }}">
{% if note %}<p class="meta">{{ note }}</p>{% endif %}
<table><thead><tr><th>Key</th><th>Id</th><th>Side</th><th>Status</th><th>Text / title</th></tr></thead><tbody>
{% for k in keys %}<tr><td>{{ k.key }}</td><td><code>{{ k.id }}</code></td><td>{{ k.side }}</td>
<td{% if k.removed %} class="removed"{% endif %}>{{ k.status }}</td><td>{{ k.text }}</td></tr>{% endfor %}
</tbody></table></section>
<section id="articles"><h2>Articles ({{ s.articles|length }})</h2>
{% for a in s.articles %}<p><b>{{ a.title or a.id }}</b><br><span class="meta">{{ a.source or "—" }} ·
{{ a.published or "no date" }} · {{ a.url or "no url" }} · <code>{{ a.id }}</code></span><br>
<span class="ctx">{{ a.context.before }}</span> <mark>{{ a.context.sentence }}</mark>
<span class="ctx">{{ a.context.after }}</span></p>{% endfor %}</section>
<section id="verdicts"><h2>Model verdicts ({{ s.verdicts|length }})</h2>
{% if s.verdicts %}<table><thead><tr><th>Model</th><th>Method</th><th>Correct</th><th>PPL S</th><th>PPL RS</th>
<th>Judge</th><th>Verdict</th><th>Set</th><th>Split</th><th>Run</th></tr></thead><tbody>
{% for v in s.verdicts %}<tr><td>{{ v.model }}</td><td>{{ v.method|upper }}</td><td>{{ v.correct }}</td>
<td>{{ v.ppl_s if v.ppl_s is not none else "" }}</td><td>{{ v.ppl_rs if v.ppl_rs is not none else "" }}</td>
<td>{{ v.judge or "" }}</td><td>{{ v.verdict or "" }}</td><td>{{ v.set or "" }}</td><td>{{ v.split or "" }}</td>
<td>{{ v.run or "" }}</td></tr>{% endfor %}</tbody></table>
{% else %}<p class="meta">No verdicts imported (navab-graph import-results).</p>{% endif %}</section>
<section id="human"><h2>Human verification</h2>
{% if s.human_labels %}<table><thead><tr><th>Annotator</th><th>Label</th><th>Anchor</th><th>When</th></tr></thead>
<tbody>{% for h in s.human_labels %}<tr><td>{{ h.annotator }}</td><td>{{ h.label }}</td><td><code>{{ h.anchor_id }}</code></td>
<td>{{ h.at }}</td></tr>{% endfor %}</tbody></table>{% else %}<p class="meta">Not labelled.</p>{% endif %}
{% if s.anchor_of_labels %}<p>Verified original (anchor) of {{ s.anchor_of_labels }} label(s).</p>{% endif %}
</section></body></html>
"""


def speakers_text(info: dict[str, Any]) -> str:
    names = [f"{p['name']} ({p['kind']})" for p in info["said_by"]]
    for extra in (info.get("speaker"), info.get("organization")):
        if extra and not any(n.startswith(extra + " (") for n in names):
            names.append(extra)
    return ", ".join(names)


def made_by_text(info: dict[str, Any]) -> str:
    m = info["made_by"]
    parts = ["loaded ready-made" if m["preloaded"] else ""]
    parts += [f"{k.replace('_', ' ')} {m[k]}" for k in ("extracted_by", "constructed_by", "reverse_by") if m.get(k)]
    if m.get("triple_error"):
        parts.append(f"triple error: {m['triple_error']}")
    return "; ".join(p for p in parts if p) or "not recorded"


def render(info: dict[str, Any], svg: bytes, keys: list[dict[str, Any]], note: str = "") -> str:
    from jinja2 import Environment

    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.from_string(TEMPLATE).render(s=info, d=info["decision"], svg=base64.b64encode(svg).decode(),
                                            keys=keys, note=note, speakers=speakers_text(info),
                                            made_by=made_by_text(info))
