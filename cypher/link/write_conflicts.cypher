// Link: CONFLICTS edges ($rows: [{s, t, score, verified_by}], s < t).
UNWIND $rows AS r
MATCH (s:Statement {id: r.s}), (t:Statement {id: r.t})
MERGE (s)-[e:CONFLICTS]->(t)
SET e.score = r.score, e.verified_by = r.verified_by
