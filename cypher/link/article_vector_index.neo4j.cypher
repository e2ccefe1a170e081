// Link (Neo4j): vector index on Article.link_embedding (cosine; $dim = the embedder's dimension).
CREATE VECTOR INDEX article_link_embedding IF NOT EXISTS FOR (a:Article) ON (a.link_embedding)
OPTIONS {indexConfig: {`vector.dimensions`: $dim, `vector.similarity_function`: 'cosine'}}
