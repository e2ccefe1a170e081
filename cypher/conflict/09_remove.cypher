// Conflict Reduction, step 5: remove (status 'removed', nothing deleted) every minority-side statement with a
// cyclic conflict this round, AND record the round (ReductionRun {id: run:round}, complete: false until the
// run finishes) in the same statement, so a round's removals and its record exist together or not at all.
// The reason names the conflicting statement (smallest id) and the witness path.
OPTIONAL MATCH (s:Statement {nation: $nation})-[c:CONFLICTS]-(t:Statement {nation: $nation})
WHERE c.cyclic_key = $key AND s.dominant = false AND coalesce(s.status, 'kept') = 'kept'
WITH s, t.id AS tid, c.witness AS w, startNode(c) = s AS outgoing
WITH s, collect({t: tid, w: CASE WHEN outgoing THEN w ELSE reverse(w) END}) AS cs, min(tid) AS partner
WITH s, partner, [x IN cs WHERE x.t = partner][0].w AS path
FOREACH (x IN CASE WHEN s IS NULL THEN [] ELSE [s] END |
  SET x.status = 'removed', x.removed_round = $round, x.removed_run = $run_id, x.removed_conflict = partner,
      x.removed_path = path,
      x.removed_reason = 'minority side of its issue in a cyclic conflict with ' + partner + '; witness path: ' +
        reduce(acc = '', y IN path | acc + CASE WHEN acc = '' THEN '' ELSE ' - ' END + y))
WITH count(s) AS removed
OPTIONAL MATCH (k:Statement {nation: $nation})
WHERE coalesce(k.status, 'kept') = 'kept'
WITH removed, count(k) AS remaining
MERGE (r:ReductionRun {id: $run_id + ':' + toString($round)})
SET r.nation = $nation, r.run_id = $run_id, r.round = $round, r.open_conflicts = $open_conflicts,
    r.cyclic = $cyclic, r.removed = removed, r.remaining = remaining, r.params = $params, r.at = $at,
    r.complete = false
RETURN removed, remaining
