// Conflict Reduction reference input: which article states which of the nation's statements.
MATCH (a:Article)-[:STATES]->(s:Statement {nation: $nation})
RETURN a.id AS a, s.id AS s
