// Conflicts that stay open and acyclic for a nation ($nation): both statements kept, no LINKED path of at most
// 4 hops between their articles (reported, not acted on).
MATCH (s:Statement {nation: $nation})-[c:CONFLICTS]->(t:Statement {nation: $nation})
WHERE coalesce(s.status, 'kept') = 'kept' AND coalesce(t.status, 'kept') = 'kept'
OPTIONAL MATCH (a:Article)-[:STATES]->(s), (b:Article)-[:STATES]->(t)
WHERE a <> b AND (a)-[:LINKED*1..4]->(b)
WITH s, t, c, count(a) AS linked_pairs
WHERE linked_pairs = 0
RETURN s.id AS statement, t.id AS conflicts_with, c.score AS score, s.text AS text, t.text AS other_text
ORDER BY statement, conflicts_with
