// Conflict Reduction, step 6: one ReductionRun node per round with its counts and parameters.
MATCH (s:Statement {nation: $nation})
WHERE coalesce(s.status, 'kept') = 'kept'
WITH count(s) AS remaining
MERGE (r:ReductionRun {id: $run_id + ':' + toString($round)})
SET r.nation = $nation, r.run_id = $run_id, r.round = $round, r.open_conflicts = $open_conflicts,
    r.cyclic = $cyclic, r.removed = $removed, r.remaining = remaining, r.params = $params, r.at = $at
RETURN remaining
