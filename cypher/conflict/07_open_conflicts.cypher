// Conflict Reduction, step 4a: open conflicts = CONFLICTS edges between two kept statements of the nation.
MATCH (s:Statement {nation: $nation})-[c:CONFLICTS]->(t:Statement {nation: $nation})
WHERE s <> t AND coalesce(s.status, 'kept') = 'kept' AND coalesce(t.status, 'kept') = 'kept'
RETURN count(c) AS open_conflicts
