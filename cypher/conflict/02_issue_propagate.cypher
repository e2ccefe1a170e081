// Conflict Reduction, step 1b (repeated with the returned frontier until it is empty): issues = connected
// components of AGREES/CONFLICTS among kept statements, by min-label propagation from the frontier (the
// statements whose label changed last sweep): a kept neighbour takes the smallest label it sees. Plain
// Cypher, so it runs unchanged on FalkorDB and Neo4j. (No label / $nation on s: FalkorDB would then plan an
// index scan of the nation's statements per frontier row instead of following the edges.)
UNWIND $frontier AS id
MATCH (t:Statement {id: id})
WHERE t.cr_key = $key
MATCH (t)-[:AGREES|CONFLICTS]-(s)
WHERE s.nation = t.nation AND coalesce(s.status, 'kept') = 'kept'
WITH s, min(t.issue_component) AS m
WHERE s.cr_key IS NULL OR s.cr_key <> $key OR m < s.issue_component
SET s.issue_component = m, s.cr_key = $key, s.weight = CASE WHEN $round = 1 THEN 0.0 ELSE s.weight END
RETURN collect(s.id) AS frontier
