// Link (Neo4j): same-issue candidates by vector-index kNN ($rows: [{q, id, vec}], $k); Neo4j's cosine score is
// (1 + cos) / 2. Other nations' hits come back flagged (same = false).
UNWIND $rows AS r
CALL db.index.vector.queryNodes('statement_embedding', $k, r.vec) YIELD node, score
RETURN r.q AS q, r.id AS s, node.id AS t, 2.0 * score - 1.0 AS cos, node.nation = $nation AS same
