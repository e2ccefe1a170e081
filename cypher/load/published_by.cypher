// PUBLISHED_BY edges of the articles the bulk path has just created with GRAPH.BULK ($ids, $source); sent right
// after their GRAPH.BULK (not in one MULTI/EXEC: see stages/load.py _bulk; a re-load merges a missing edge).
MATCH (s:Source {id: $source})
UNWIND $ids AS id
MATCH (a:Article {id: id})
CREATE (a)-[:PUBLISHED_BY]->(s)
