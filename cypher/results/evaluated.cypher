// Per-item evaluation results ($rows: {k, id, nation, model, method, props}) as
// (:Model)-[:EVALUATED {method, ...}]->(:Statement), merged on (model, method, statement): re-imports are idempotent.
// Returns the key k of every row whose statement exists in that nation; the others are reported as unknown.
UNWIND $rows AS r
MATCH (s:Statement {id: r.id})
WHERE s.nation = r.nation
MERGE (m:Model {name: r.model})
MERGE (m)-[e:EVALUATED {method: r.method}]->(s)
SET e += r.props
RETURN r.k AS k
