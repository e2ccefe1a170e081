// Link: semantic neighbours of articles by vector-index kNN ($rows: [{q, id, vec}], $k). Other nations' hits come
// back flagged (same = false) so the caller can widen k until it has k of its own.
UNWIND $rows AS r
CALL db.idx.vector.queryNodes('Article', 'link_embedding', $k, vecf32(r.vec)) YIELD node, score
RETURN r.q AS q, r.id AS s, node.id AS t, 1.0 - score AS cos, node.nation = $nation AS same
