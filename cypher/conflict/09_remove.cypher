// Conflict Reduction, step 5: remove (status 'removed', nothing deleted) every minority-side statement with a
// cyclic conflict this round; the reason names the conflicting statement (smallest id) and the witness path.
MATCH (s:Statement {nation: $nation})-[c:CONFLICTS]-(t:Statement {nation: $nation})
WHERE c.cyclic_key = $key AND s.dominant = false AND coalesce(s.status, 'kept') = 'kept'
WITH s, t.id AS tid, c.witness AS w, startNode(c) = s AS outgoing
WITH s, collect({t: tid, w: CASE WHEN outgoing THEN w ELSE reverse(w) END}) AS cs, min(tid) AS partner
WITH s, partner, [x IN cs WHERE x.t = partner][0].w AS path
SET s.status = 'removed', s.removed_round = $round, s.removed_run = $run_id, s.removed_conflict = partner,
    s.removed_path = path,
    s.removed_reason = 'minority side of its issue in a cyclic conflict with ' + partner + '; witness path: ' +
      reduce(acc = '', x IN path | acc + CASE WHEN acc = '' THEN '' ELSE ' - ' END + x)
RETURN count(s) AS removed
