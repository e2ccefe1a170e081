// PUBLISHED_BY edges of the articles the bulk path has just created with GRAPH.BULK ($ids, $source); sent in
// the same MULTI/EXEC as their GRAPH.BULK, so an article is never stored without its source.
MATCH (s:Source {id: $source})
UNWIND $ids AS id
MATCH (a:Article {id: id})
CREATE (a)-[:PUBLISHED_BY]->(s)
