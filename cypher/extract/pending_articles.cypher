// Extract: articles of $nation still to extract, in id order: in a value-related topic (any article when
// $all_topics), not yet extracted (extracted_at unset), and without preloaded statements. LIMIT $limit.
MATCH (a:Article {nation: $nation})
WHERE a.extracted_at IS NULL
OPTIONAL MATCH (a)-[:IN_TOPIC]->(t:Topic)
WITH a, collect(t.value_related) AS value_flags
OPTIONAL MATCH (a)-[:STATES]->(s:Statement)
WITH a, value_flags, collect(s.preloaded) AS preloaded_flags
WHERE ($all_topics OR true IN value_flags) AND NOT true IN preloaded_flags
RETURN a.id AS id, a.title AS title, a.text AS text, a.lang AS lang
ORDER BY a.id
LIMIT $limit
