// Test/benchmark fixture writer: LINKED edges as given ($rows: [{a, b}], directed; write both ways).
UNWIND $rows AS r
MATCH (a:Article {id: r.a}), (b:Article {id: r.b})
CREATE (a)-[:LINKED {kind: 'fixture', weight: 1.0}]->(b)
