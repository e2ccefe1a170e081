// Construct: kept statements of $nation lacking a question, a reverse or a source kind, in id order, with the
// text of one article that states them (context for source judgment). LIMIT $limit.
MATCH (s:Statement {nation: $nation})
WHERE coalesce(s.status, 'kept') = 'kept'
  AND (s.question IS NULL OR s.reverse IS NULL OR s.kind IS NULL)
OPTIONAL MATCH (a:Article)-[:STATES]->(s)
WITH s, min(a.id) AS article_id, collect(a.text)[0] AS context
RETURN s.id AS id, s.text AS text, s.lang AS lang, s.speaker AS speaker, s.kind AS kind,
       s.question AS question, s.reverse AS reverse, context
ORDER BY id
LIMIT $limit
