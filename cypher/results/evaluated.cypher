// Per-item evaluation results ($rows: {k, id, nation, model, method, condition, cr_run, props}) as
// (:Model)-[:EVALUATED {method, condition, ...}]->(:Statement), merged on (model, method, condition, statement):
// re-imports are idempotent, and a statement evaluated in the with-CR and the without-CR snapshot has one edge
// per condition (condition "" when the item named none). The edge records what it was evaluated on: the
// statement's content_rev (load bumps it when the text, question, reverse, kind or speaker change) and, for
// with_cr, the reduction run (cr_run) whose snapshot held it; model_summary counts it stale when either moved.
// Returns the key k of every row whose statement exists in that nation; the others are reported as unknown.
UNWIND $rows AS r
MATCH (s:Statement {id: r.id})
WHERE s.nation = r.nation
MERGE (m:Model {name: r.model})
MERGE (m)-[e:EVALUATED {method: r.method, condition: r.condition}]->(s)
SET e += r.props, e.content_rev = coalesce(s.content_rev, 0), e.cr_run = r.cr_run
RETURN r.k AS k
