// Lineage, extract: ids of extracted (not preloaded) statements of $nation whose article is in no
// value-related topic now (a new screening or topic model moved it out): they must be retired, not exported.
MATCH (s:Statement {nation: $nation})
WHERE s.extracted_by IS NOT NULL AND coalesce(s.preloaded, false) = false
OPTIONAL MATCH (a:Article)-[:STATES]->(s)
OPTIONAL MATCH (a)-[:IN_TOPIC]->(t:Topic)
WITH s, collect(t.value_related) AS flags
WHERE NOT true IN flags
RETURN s.id AS id
ORDER BY id
