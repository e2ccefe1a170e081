// Link: store statement embeddings e(S) where text or model changed ($rows: [{id, vec, key}]).
UNWIND $rows AS r
MATCH (s:Statement {id: r.id})
SET s.embedding = vecf32(r.vec), s.embedding_key = r.key
