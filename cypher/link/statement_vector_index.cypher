// Link: vector index on Statement.embedding (cosine; $dim = the embedder's dimension).
CREATE VECTOR INDEX FOR (s:Statement) ON (s.embedding) OPTIONS {dimension: $dim, similarityFunction: 'cosine', efRuntime: 100}
