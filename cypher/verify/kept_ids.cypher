// Verify: ids of a nation's kept statements, the population the sample is drawn from ($nation).
MATCH (s:Statement {nation: $nation})
WHERE coalesce(s.status, 'kept') = 'kept'
RETURN s.id AS id
ORDER BY id
