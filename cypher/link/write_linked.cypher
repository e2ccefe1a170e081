// Link: LINKED edges, written both ways so PageRank (which follows direction) sees an undirected graph
// ($rows: [{a, b, kind, weight}]).
UNWIND $rows AS r
MATCH (a:Article {id: r.a}), (b:Article {id: r.b})
MERGE (a)-[x:LINKED {kind: r.kind}]->(b)
SET x.weight = r.weight
MERGE (b)-[y:LINKED {kind: r.kind}]->(a)
SET y.weight = r.weight
