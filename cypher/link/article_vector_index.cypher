// Link: vector index on Article.link_embedding (cosine; $dim = the embedder's dimension).
CREATE VECTOR INDEX FOR (a:Article) ON (a.link_embedding) OPTIONS {dimension: $dim, similarityFunction: 'cosine', efRuntime: 100}
