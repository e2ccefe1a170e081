"""The report page: one self-contained HTML file (inline CSS, images as data: URIs, no scripts, no network)."""

TEMPLATE = r"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>navab-graph report</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",sans-serif;margin:24px auto;
     max-width:1200px;color:#222;padding:0 16px}
h1{font-size:1.6em;margin-bottom:4px} h2{border-bottom:2px solid #2b6cb0;padding-bottom:4px;margin-top:36px}
h3{margin:18px 0 6px} .meta{color:#555;font-size:.9em}
table{border-collapse:collapse;margin:8px 0 14px;font-size:.88em}
th,td{border:1px solid #ccc;padding:3px 8px;text-align:right} th{background:#edf2f7}
td.label,th.label{text-align:left} tr.block td{background:#f7fafc;font-weight:600;text-align:center}
td.best{font-weight:700;outline:2px solid #dd6b20;outline-offset:-2px}
img{max-width:100%;border:1px solid #e2e8f0;margin:6px 0}
.absent{background:#fffbea;border:1px solid #f6e05e;padding:8px 12px;border-radius:4px}
.warn{color:#9c4221;font-size:.85em} .grid{display:flex;flex-wrap:wrap;gap:18px}
.grid>div{flex:1 1 520px} caption{caption-side:top;text-align:left;color:#555;padding-bottom:4px}
</style></head><body>
<h1>navab-graph report</h1>
<p class="meta">Generated {{ generated }} · graph {{ graph }} · nations {{ nations|join(", ") or "none" }}
{% if files %}· result files: {{ files|length }}{% endif %}</p>
{% if warnings %}<details class="warn"><summary>{{ warnings|length }} warning(s)</summary><ul>
{% for w in warnings %}<li>{{ w }}</li>{% endfor %}</ul></details>{% endif %}

{% macro absent(msg) %}<p class="absent" data-absent="1">No data: {{ msg }}</p>{% endmacro %}
{% macro grid(g, corner) %}
<table class="paper">
<thead><tr><th class="label" rowspan="2">{{ corner }}</th>
{% for n in g.nations %}<th colspan="{{ n.methods|length }}">{{ n.name }}</th>{% endfor %}</tr>
<tr>{% for n in g.nations %}{% for m in n.methods %}<th>{{ m }}</th>{% endfor %}{% endfor %}</tr></thead>
<tbody>{% for b in g.blocks %}<tr class="block"><td colspan="{{ g.n_cols + 1 }}">{{ b.title }}</td></tr>
{% for r in b.rows %}<tr><td class="label">{{ r.label }}</td>{% for c in r.cells %}<td
{% if c.best %} class="best"{% endif %}{% if c.shade is not none %}
 style="background:rgba(49,130,206,{{ '%.2f'|format(0.1 + 0.6 * c.shade) }})"{% endif %}>{{ c.text }}</td>
{% endfor %}</tr>{% endfor %}{% endfor %}</tbody></table>
{% endmacro %}

<section id="counts" data-status="{{ 'ok' if counts else 'absent' }}">
<h2>1. Pipeline counts (paper Table 1)</h2>
{% if counts %}
<table><caption>Read from the graph. statements: all extracted or loaded statements; quoted / official: by source
judgment; triples: kept statements with a question and a reverse statement (what export writes); removed: by
Conflict Reduction.</caption>
<thead><tr><th class="label">Nation</th>{% for c in count_columns %}<th>{{ c.replace("_", " ") }}</th>{% endfor %}</tr></thead>
<tbody>{% for r in counts %}<tr><td class="label">{{ r.nation }}</td>{% for c in count_columns %}<td>{{ r[c] }}</td>
{% endfor %}</tr>{% endfor %}</tbody></table>
<img alt="pipeline counts" src="data:image/png;base64,{{ images.counts }}">
{% else %}{{ absent("the graph holds no articles, topics or statements (run `navab-graph load` and the pipeline).") }}{% endif %}
</section>

<section id="topics" data-status="{{ 'ok' if topic_maps else 'absent' }}">
<h2>2. Topic maps (paper Figure 3)</h2>
{% if topic_maps %}<div class="grid">{% for t in topic_maps %}<div>
<h3>{{ t.nation }}</h3>
<img alt="topic map {{ t.nation }}" src="data:image/png;base64,{{ t.image }}">
<table><caption>Top topics ({{ t.plotter }}). Grey points are outliers.</caption>
<thead><tr><th class="label">Topic</th><th>Articles</th><th>Value-related</th></tr></thead>
<tbody>{% for r in t.top %}<tr><td class="label">{{ r.label }}</td><td>{{ r.size }}</td><td>{{ r.value }}</td></tr>
{% endfor %}</tbody></table></div>{% endfor %}</div>
{% for n in topic_missing %}{{ absent(n ~ ": no article has map coordinates (run `navab-graph topics`).") }}{% endfor %}
{% else %}{{ absent("no article has map coordinates Article.x / Article.y (run `navab-graph topics`).") }}{% endif %}
</section>

<section id="reduction" data-status="{{ 'ok' if rounds else 'absent' }}">
<h2>3. Conflict Reduction per round</h2>
{% if rounds %}
<img alt="conflict reduction per round" src="data:image/png;base64,{{ images.reduction }}">
<div class="grid">{% for nation, rows in rounds.items() %}<div><h3>{{ nation }}</h3>
<table><caption>Latest run {{ rows[0].run_id }}</caption><thead><tr><th>Round</th><th>Open conflicts</th>
<th>Cyclic</th><th>Removed</th><th>Remaining</th></tr></thead><tbody>
{% for r in rows %}<tr><td>{{ r.round }}</td><td>{{ r.open_conflicts }}</td><td>{{ r.cyclic }}</td>
<td>{{ r.removed }}</td><td>{{ r.remaining }}</td></tr>{% endfor %}</tbody></table></div>{% endfor %}</div>
{% for n in rounds_missing %}{{ absent(n ~ ": no Conflict Reduction run recorded (run `navab-graph reduce`).") }}{% endfor %}
{% else %}{{ absent("no ReductionRun in the graph (run `navab-graph reduce`).") }}{% endif %}
</section>

<section id="alignment" data-status="{{ 'ok' if alignment else 'absent' }}">
<h2>4. Value alignment (paper Table 2)</h2>
{% if alignment %}
<p class="meta">Correct rate per model, nation and method (MC: multiple choice by answer perplexity; AJ: answer
judgment). Darker cells are higher within their column and block.</p>
{{ grid(alignment, "Model") }}
<img alt="alignment heatmap" src="data:image/png;base64,{{ images.alignment }}">
{% else %}{{ absent("no navab-eval summary.json found" ~ (" under " ~ results_paths|join(", ") if results_paths else " (pass --results DIR)") ~ ".") }}{% endif %}
</section>

<section id="dpo" data-status="{{ 'ok' if ablation else 'absent' }}">
<h2>5. Conflict Reduction ablation and DPO (paper Table 3, Figure 6)</h2>
{% if ablation %}
{{ grid(ablation, "Variant") }}
{% if dpo_rows %}
<img alt="before and after DPO" src="data:image/png;base64,{{ images.dpo }}">
<table><caption>Before (with CR) and after DPO (with CR + DPO), test split.</caption>
<thead><tr><th class="label">Model</th><th class="label">Set</th><th class="label">Nation</th><th>Method</th>
<th>Before</th><th>After</th><th>Δ</th></tr></thead><tbody>
{% for r in dpo_rows %}<tr><td class="label">{{ r.model }}</td><td class="label">{{ r.set }}</td>
<td class="label">{{ r.nation }}</td><td>{{ r.method }}</td><td>{{ r.before }}</td><td>{{ r.after }}</td>
<td>{{ r.delta }}</td></tr>{% endfor %}</tbody></table>
{% else %}{{ absent("the ablation results have no with-CR / with-CR + DPO pairs, so there is no before/after chart.") }}{% endif %}
{% else %}{{ absent("no ablation.json / ablation.csv found" ~ (" under " ~ results_paths|join(", ") if results_paths else " (pass --results DIR with navab-train ablation output)") ~ ".") }}{% endif %}
</section>
</body></html>
"""
