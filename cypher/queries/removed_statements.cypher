// Statements Conflict Reduction removed for a nation ($nation), with round, reason, conflicting statement and
// witness path (article ids).
MATCH (s:Statement {nation: $nation})
WHERE s.status = 'removed'
RETURN s.id AS id, s.text AS text, s.removed_round AS round, s.removed_conflict AS conflicts_with,
       s.removed_path AS witness, s.removed_reason AS reason
ORDER BY round, id
