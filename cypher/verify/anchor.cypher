// Verify (paper Appendix B): the default verified original of a nation, a kept statement with the highest
// Conflict Reduction weight (ties: smallest id) ($nation). Statements without a weight (never in a contested
// issue) come last.
MATCH (s:Statement {nation: $nation})
WHERE coalesce(s.status, 'kept') = 'kept' AND s.weight IS NOT NULL
RETURN s.id AS id, s.text AS text, s.weight AS weight
ORDER BY weight DESC, id
LIMIT 1
