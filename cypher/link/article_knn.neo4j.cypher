// Link (Neo4j): semantic neighbours of articles by vector-index kNN ($rows: [{q, id, vec}], $k). Other nations'
// hits come back flagged (same = false).
UNWIND $rows AS r
CALL db.index.vector.queryNodes('article_link_embedding', $k, r.vec) YIELD node, score
RETURN r.q AS q, r.id AS s, node.id AS t, 2.0 * score - 1.0 AS cos, node.nation = $nation AS same
