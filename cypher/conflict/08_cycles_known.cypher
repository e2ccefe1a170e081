// Conflict Reduction, step 4b in rounds 2+: cyclicity of a conflict depends only on LINKED and STATES, which
// a run does not change, and every conflict open now was open (and checked) in round 1; so the cyclic ones are
// the open conflicts marked cyclic_run = $run_id in round 1. Re-marks them with this round's $key.
MATCH (s:Statement {nation: $nation})-[c:CONFLICTS]->(t:Statement {nation: $nation})
WHERE s <> t AND coalesce(s.status, 'kept') = 'kept' AND coalesce(t.status, 'kept') = 'kept'
  AND c.cyclic_run = $run_id
SET c.cyclic_key = $key
RETURN count(c) AS cyclic
