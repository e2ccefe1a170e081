// Per-item evaluation results ($rows: {k, id, nation, model, method, condition, props}) as
// (:Model)-[:EVALUATED {method, condition, ...}]->(:Statement), merged on (model, method, condition, statement):
// re-imports are idempotent, and a statement evaluated in the with-CR and the without-CR snapshot has one edge
// per condition (condition "" when the item named none). Returns the key k of every row whose statement exists
// in that nation; the others are reported as unknown.
UNWIND $rows AS r
MATCH (s:Statement {id: r.id})
WHERE s.nation = r.nation
MERGE (m:Model {name: r.model})
MERGE (m)-[e:EVALUATED {method: r.method, condition: r.condition}]->(s)
SET e += r.props
RETURN r.k AS k
