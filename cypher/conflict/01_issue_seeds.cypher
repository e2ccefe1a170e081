// Conflict Reduction, step 1a: seeds of the issue search = kept statements with an open conflict (only issues
// that contain a conflict can lose a statement, so only those are computed). Each seed starts as its own
// issue (issue_component = its id, cr_key = $key of this run and round; weight reset to 0 in round 1 only,
// see 04_centrality); returns them as the first frontier.
MATCH (s:Statement {nation: $nation})-[:CONFLICTS]-(t:Statement {nation: $nation})
WHERE s <> t AND coalesce(s.status, 'kept') = 'kept' AND coalesce(t.status, 'kept') = 'kept'
WITH DISTINCT s
SET s.issue_component = s.id, s.cr_key = $key, s.weight = CASE WHEN $round = 1 THEN 0.0 ELSE s.weight END
RETURN collect(s.id) AS frontier
