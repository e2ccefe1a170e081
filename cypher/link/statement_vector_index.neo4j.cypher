// Link (Neo4j): vector index on Statement.embedding (cosine; $dim = the embedder's dimension).
CREATE VECTOR INDEX statement_embedding IF NOT EXISTS FOR (s:Statement) ON (s.embedding)
OPTIONS {indexConfig: {`vector.dimensions`: $dim, `vector.similarity_function`: 'cosine'}}
