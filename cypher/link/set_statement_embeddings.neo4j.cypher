// Link (Neo4j): store statement embeddings e(S) where text or model changed ($rows: [{id, vec, key}]).
UNWIND $rows AS r
MATCH (s:Statement {id: r.id})
SET s.embedding_key = r.key
WITH s, r
CALL db.create.setNodeVectorProperty(s, 'embedding', r.vec)
