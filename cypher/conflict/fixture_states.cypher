// Test/benchmark fixture writer: (Article)-[:STATES]->(Statement) ($rows: [{a, s}]).
UNWIND $rows AS r
MATCH (a:Article {id: r.a}), (s:Statement {id: r.s})
CREATE (a)-[:STATES]->(s)
