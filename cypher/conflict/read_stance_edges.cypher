// Conflict Reduction reference input: AGREES / CONFLICTS edges among the nation's statements, as stored.
MATCH (s:Statement {nation: $nation})-[r:AGREES|CONFLICTS]->(t:Statement {nation: $nation})
RETURN s.id AS s, t.id AS t, type(r) AS rel
