// Link: store article embeddings ($rows: [{id, vec, key}], only where text or model changed).
UNWIND $rows AS r
MATCH (a:Article {id: r.id})
SET a.link_embedding = vecf32(r.vec), a.link_embedding_key = r.key
