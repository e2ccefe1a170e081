// Conflict Reduction reference input: the nation's statements with side and status.
MATCH (s:Statement {nation: $nation})
RETURN s.id AS id, s.side AS side, s.status AS status
