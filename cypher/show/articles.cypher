// Show: the articles that state a statement, with source and topic ($id). Full text: the caller cuts it (never
// left()/substring() on stored text: the bundled FalkorDB gets multi-byte text wrong there).
MATCH (a:Article)-[:STATES]->(:Statement {id: $id})
OPTIONAL MATCH (a)-[:PUBLISHED_BY]->(src:Source)
OPTIONAL MATCH (a)-[:IN_TOPIC]->(t:Topic)
RETURN a.id AS id, a.title AS title, a.text AS text, a.url AS url, a.published AS published,
       coalesce(src.name, a.source) AS source, t.id AS topic_id, t.label AS topic, t.value_related AS value_related
ORDER BY id
