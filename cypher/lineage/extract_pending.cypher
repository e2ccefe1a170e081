// Lineage, extract: articles of $nation waiting for extraction (in a value-related topic, or any with
// $all_topics; not extracted, no failed attempt, no preloaded statements). Failed ones are listed by `status`.
MATCH (a:Article {nation: $nation})
WHERE a.extracted_at IS NULL AND a.extract_error IS NULL
OPTIONAL MATCH (a)-[:IN_TOPIC]->(t:Topic)
WITH a, collect(t.value_related) AS flags
WHERE $all_topics OR true IN flags
OPTIONAL MATCH (a)-[:STATES]->(s:Statement)
WITH a, collect(s.preloaded) AS pre
WHERE NOT true IN pre
RETURN count(a) AS pending
