"""The report page: one self-contained HTML file (inline CSS, images as data: URIs, no network). Its only script
draws the interactive topic maps from the inlined, compressed plotly.js (report/interactive.py); everything else
is static HTML, PNG and SVG."""

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
.demo{background:#fff5f5;border:3px solid #c53030;color:#742a2a;padding:12px 16px;border-radius:6px;
      font-size:1.05em;margin:14px 0} .demo b{font-size:1.15em}
.plotly{width:100%;min-height:680px;border:1px solid #e2e8f0;margin:6px 0}
.issue{border-top:1px solid #e2e8f0;padding-top:8px;margin-top:12px} .issue img{width:100%;max-width:820px}
td.removed{color:#c53030;font-weight:600} .check{text-align:center;font-size:1.1em}
td.stale{background:#fff5f5;color:#c53030;font-style:italic} td.unchecked{color:#975a16}
</style></head><body>
<h1>navab-graph report</h1>
<p class="meta">Generated {{ generated }} · graph {{ graph }} · nations {{ nations|join(", ") or "none" }}
{% if files %}· result files: {{ files|length }}{% endif %}</p>
{% if demo %}<div class="demo" id="demo-banner" data-demo="{{ demo|join(',') }}"><b>DEMO QUALITY</b> — the
statements, triples or screening of {% for n in demo %}{{ names[n] }}{% if not loop.last %}, {% endif %}{% endfor %} were made by the offline rule-based
provider, not by an LLM. Such a benchmark shows that the pipeline runs; do not publish or compare models on it.
Configure an LLM endpoint (`[llm] base_url`) and run the pipeline again for a real benchmark.</div>{% endif %}
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
{% set cls = (["best"] if c.best else []) + ([c.mark] if c.mark else []) %}{% if cls %} class="{{ cls|join(' ') }}"{% endif %}
{% if c.mark %} data-cr="{{ c.mark }}"{% endif %}{% if c.shade is not none %}
 style="background:rgba(49,130,206,{{ '%.2f'|format(0.1 + 0.6 * c.shade) }})"{% endif %}>{{ c.text }}</td>
{% endfor %}</tr>{% endfor %}{% endfor %}</tbody></table>
{% endmacro %}

{% set made_any = made.values()|selectattr("stages")|list or made.values()|selectattr("makers")|list %}
<section id="provenance" data-status="{{ 'ok' if made_any else 'absent' }}">
<h2>1. What made this benchmark</h2>
{% if made_any %}
{% if made.values()|selectattr("stages")|list %}
<table><caption>LLM-backed stages as recorded by the pipeline on each StageRun (provider, model, prompt version).
</caption>
<thead><tr><th class="label">Nation</th><th class="label">Stage</th><th class="label">Provider</th>
<th class="label">Model</th><th class="label">Prompt version</th><th class="label">Ran</th></tr></thead><tbody>
{% for n, d in made.items() %}{% for r in d.stages %}<tr><td class="label">{{ names[n] }}</td>
<td class="label">{{ r.stage }}</td><td class="label{% if r.provider == 'rules' %} removed{% endif %}">{{ r.provider or "not recorded" }}</td>
<td class="label">{{ r.model or "" }}</td><td class="label">{{ r.prompt_version or "" }}</td><td class="label">{{ r.at }}</td></tr>
{% endfor %}{% endfor %}</tbody></table>
{% else %}<p class="meta">No pipeline stage run is recorded in this graph (statements loaded or made by single
commands); what the statements themselves record follows.</p>{% endif %}
<table><caption>Statements by the provider that extracted them, made their question / source kind and their
reverse ("loaded": ready-made statements from the input files).</caption>
<thead><tr><th class="label">Nation</th><th class="label">Extracted by</th><th class="label">Triple by</th>
<th class="label">Reverse by</th><th>Statements</th></tr></thead><tbody>
{% for n, d in made.items() %}{% for m in d.makers %}<tr><td class="label">{{ names[n] }}</td>
<td class="label">{{ m.extracted_by or "—" }}</td><td class="label">{{ m.constructed_by or "—" }}</td>
<td class="label">{{ m.reverse_by or "—" }}</td><td>{{ m.statements }}</td></tr>{% endfor %}{% endfor %}</tbody></table>
{% for n, d in made.items() %}{% if d.screened %}<p class="meta">{{ names[n] }}: topics screened by
{% for k, v in d.screened.items() %}{{ k }} ({{ v }}){% if not loop.last %}, {% endif %}{% endfor %}.</p>{% endif %}
{% if d.demo %}<p class="warn">{{ names[n] }} is demo quality: {{ d.demo_reasons|join("; ") }}.</p>{% endif %}
{% endfor %}
{% else %}{{ absent("no StageRun with a provider and no statement in the graph.") }}{% endif %}
</section>

<section id="counts" data-status="{{ 'ok' if counts else 'absent' }}">
<h2>2. Pipeline counts (paper Table 1)</h2>
{% if counts %}
<table><caption>Read from the graph. statements: all extracted or loaded statements; quoted / official: by source
judgment; triples: kept statements with a question and a reverse statement (what export writes); removed: by
Conflict Reduction.</caption>
<thead><tr><th class="label">Nation</th>{% for c in count_columns %}<th>{{ c.replace("_", " ") }}</th>{% endfor %}</tr></thead>
<tbody>{% for r in counts %}<tr><td class="label">{{ names[r.nation] }}</td>{% for c in count_columns %}<td>{{ r[c] }}</td>
{% endfor %}</tr>{% endfor %}</tbody></table>
<img alt="pipeline counts" src="data:image/png;base64,{{ images.counts }}">
{% else %}{{ absent("the graph holds no articles, topics or statements (run `navab-graph load` and the pipeline).") }}{% endif %}
</section>

<section id="topics" data-status="{{ 'ok' if topic_maps else 'absent' }}">
<h2>3. Topic maps (paper Figure 3)</h2>
{% if topic_maps %}{% for t in topic_maps %}<div class="topicmap">
<h3>{{ t.name }}</h3>
{% if t.figure %}<p class="meta">BERTopic's documents map (visualize_documents) of the topics stage's 2-D UMAP:
hover a point for the article title, click legend entries to hide topics, drag to zoom.</p>
<div class="plotly" id="map-{{ t.nation }}" data-figure="fig-{{ t.nation }}"></div>
<script type="application/json" id="fig-{{ t.nation }}">{{ script_json(t.figure)|safe }}</script>
<details><summary>Static map ({{ t.plotter }}; also {{ t.file }})</summary>
<img alt="topic map {{ t.nation }}" src="data:image/png;base64,{{ t.image }}"></details>
{% else %}<img alt="topic map {{ t.nation }}" src="data:image/png;base64,{{ t.image }}">{% endif %}
<table><caption>Top topics ({{ t.plotter }}). Grey points are outliers.</caption>
<thead><tr><th class="label">Topic</th><th>Articles</th><th>Value-related</th></tr></thead>
<tbody>{% for r in t.top %}<tr><td class="label">{{ r.label }}</td><td>{{ r.size }}</td><td>{{ r.value }}</td></tr>
{% endfor %}</tbody></table></div>{% endfor %}
{% for n in topic_missing %}{{ absent(names[n] ~ ": no article has map coordinates (run `navab-graph topics`).") }}{% endfor %}
{% else %}{{ absent("no article has map coordinates Article.x / Article.y (run `navab-graph topics`).") }}{% endif %}
</section>

<section id="reduction" data-status="{{ 'ok' if rounds else 'absent' }}">
<h2>4. Conflict Reduction per round</h2>
{% if rounds %}
<img alt="conflict reduction per round" src="data:image/png;base64,{{ images.reduction }}">
<div class="grid">{% for nation, rows in rounds.items() %}<div><h3>{{ names[nation] }}</h3>
<table><caption>Latest run {{ rows[0].run_id }}</caption><thead><tr><th>Round</th><th>Open conflicts</th>
<th>Cyclic</th><th>Removed</th><th>Remaining</th></tr></thead><tbody>
{% for r in rows %}<tr><td>{{ r.round }}</td><td>{{ r.open_conflicts }}</td><td>{{ r.cyclic }}</td>
<td>{{ r.removed }}</td><td>{{ r.remaining }}</td></tr>{% endfor %}</tbody></table></div>{% endfor %}</div>
{% for n in rounds_missing %}{{ absent(names[n] ~ ": no Conflict Reduction run recorded (run `navab-graph reduce`).") }}{% endfor %}
{% else %}{{ absent("no ReductionRun in the graph (run `navab-graph reduce`).") }}{% endif %}
</section>

<section id="graphs" data-status="{{ 'ok' if issues else 'absent' }}">
<h2>5. The largest contested issues as graphs</h2>
{% if issues %}<p class="meta">Statements of an issue (circles, coloured by side; removed ones hollow with a red
cross), AGREES (green) and CONFLICTS (red, dashed) edges, and for each removal the witness path: the articles
(squares) joined by LINKED edges (purple) that close the cycle with the conflict. Keys are explained below each
picture; <code>navab-graph show ID</code> tells the whole story of one statement.</p>
{% for i in issues %}<div class="issue" data-issue="{{ i.issue }}"><h3>{{ names[i.nation] }}: {{ i.issue }}</h3>
<p class="meta">{{ i.statements }} statements, {{ i.conflicts }} conflicts, {{ i.removed }} removed{% if i.note %}
· {{ i.note }}{% endif %} · {{ i.file }}</p>
<img alt="contested issue {{ i.issue }}" src="data:image/svg+xml;base64,{{ svgs[i.image] }}">
<details><summary>Key ({{ i['keys']|length }} nodes)</summary><table><thead><tr><th class="label">Key</th>
<th class="label">Id</th><th>Side</th><th class="label">Status</th><th class="label">Text / title</th></tr></thead>
<tbody>{% for k in i['keys'] %}<tr><td class="label">{{ k.key }}</td><td class="label"><code>{{ k.id }}</code></td>
<td>{{ k.side }}</td><td class="label{% if k.removed %} removed{% endif %}">{{ k.status }}</td>
<td class="label">{{ k.text }}</td></tr>{% endfor %}</tbody></table></details></div>{% endfor %}
{% else %}{{ absent("no issue with a CONFLICTS edge (run `navab-graph link` and `navab-graph reduce`).") }}{% endif %}
</section>

<section id="verification" data-status="{{ 'ok' if verification else 'absent' }}">
<h2>6. Human verification (paper Table 7)</h2>
{% if verification %}
<table><caption>Sampled kept statements labelled against one verified original statement per nation
(paper Appendix B). Rates per item (an item labelled by several annotators counts once); κ: Cohen's kappa on the
items two or more annotators labelled (mean over annotator pairs).</caption>
<thead><tr><th class="label">Nation</th><th>n</th><th>Align</th><th>Conflict</th><th>Unrelated</th><th>κ</th>
<th>Agreement</th><th>Overlap items</th><th>Annotators</th></tr></thead><tbody>
{% for n, v in verification.items() %}<tr><td class="label">{{ names.get(n, n) }}</td><td>{{ v.n }}</td>
<td>{{ '%.1f%%'|format(100 * v.align_rate) }}</td><td>{{ '%.1f%%'|format(100 * v.conflict_rate) }}</td>
<td>{{ '%.1f%%'|format(100 * v.unrelated_rate) }}</td>
<td>{{ '%.3f'|format(v.kappa) if v.kappa is not none else 'n/a' }}</td>
<td>{{ '%.1f%%'|format(100 * v.agreement) if v.agreement is not none else 'n/a' }}</td>
<td>{{ v.overlap }}</td><td>{{ v.annotators }}</td></tr>{% endfor %}</tbody></table>
<p><b>Average Align Rate {{ '%.1f%%'|format(100 * averages.align_rate) }}. Average Conflict Rate
{{ '%.1f%%'|format(100 * averages.conflict_rate) }}.</b> <span class="meta">(The paper reports ≈ 1 % and 0 %.)</span></p>
{% for n, rows in examples.items() %}<h3>{{ names.get(n, n) }}: examples ({{ rows|length }} of {{ verification[n].n }})</h3>
{% for a in verification[n].anchors %}<p class="meta">Verified original <code>{{ a }}</code>: {{ anchors.get(a, "") }}</p>{% endfor %}
<table><thead><tr><th class="label">Statement</th><th>Align</th><th>Conflict</th><th>Unrelated</th></tr></thead><tbody>
{% for r in rows %}<tr><td class="label">{{ r.statement }}</td>{% for lab in ["align", "conflict", "unrelated"] %}
<td class="check">{{ "✓" if r.label == lab else "" }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>{% endfor %}
{% else %}{{ absent("no human labels in the graph (`navab-graph verify sample`, then `navab-graph verify import`).") }}{% endif %}
</section>

<section id="alignment" data-status="{{ 'ok' if alignment else 'absent' }}">
<h2>7. Value alignment (paper Table 2)</h2>
{% if alignment %}
<p class="meta">Correct rate per model, nation and method (MC: multiple choice by answer perplexity; AJ: answer
judgment). Darker cells are higher within their column and block. A with-CR cell marked <i>(stale)</i> was
evaluated on a snapshot of another Conflict Reduction run than the graph's live one (undone or run again since):
it does not describe this benchmark; <i>(unchecked)</i>: the result files do not say which run it was (see the
warnings).</p>
{{ grid(alignment, "Model") }}
<img alt="alignment heatmap" src="data:image/png;base64,{{ images.alignment }}">
{% else %}{{ absent("no navab-eval summary.json found" ~ (" under " ~ results_paths|join(", ") if results_paths else " (pass --results DIR)") ~ ".") }}{% endif %}
</section>

<section id="dpo" data-status="{{ 'ok' if ablation else 'absent' }}">
<h2>8. Conflict Reduction ablation and DPO (paper Table 3, Figure 6)</h2>
{% if ablation %}
{{ grid(ablation, "Variant") }}
{% if dpo_rows %}
<img alt="before and after DPO" src="data:image/png;base64,{{ images.dpo }}">
<table><caption>Before (with CR) and after DPO (with CR + DPO), test split.</caption>
<thead><tr><th class="label">Model</th><th class="label">Set</th><th class="label">Nation</th><th>Method</th>
<th>Before</th><th>After</th><th>Δ</th></tr></thead><tbody>
{% for r in dpo_rows %}<tr><td class="label">{{ r.model }}</td><td class="label">{{ r.set }}</td>
<td class="label">{{ names.get(r.nation, r.nation) }}</td><td>{{ r.method }}</td><td>{{ r.before }}</td><td>{{ r.after }}</td>
<td>{{ r.delta }}</td></tr>{% endfor %}</tbody></table>
{% else %}{{ absent("the ablation results have no with-CR / with-CR + DPO pairs, so there is no before/after chart.") }}{% endif %}
{% else %}{{ absent("no ablation.json / ablation.csv found" ~ (" under " ~ results_paths|join(", ") if results_paths else " (pass --results DIR with navab-train ablation output)") ~ ".") }}{% endif %}
</section>
{% if interactive %}<script id="plotly-gz" type="application/octet-stream">{{ plotly_gz }}</script>
<script>{{ loader|safe }}</script>{% endif %}
</body></html>
"""
