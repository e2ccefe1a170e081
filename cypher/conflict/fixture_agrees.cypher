// Test/benchmark fixture writer: AGREES edges ($rows: [{s, t}]).
UNWIND $rows AS r
MATCH (s:Statement {id: r.s}), (t:Statement {id: r.t})
CREATE (s)-[:AGREES {score: -1.0, verified_by: 'fixture'}]->(t)
