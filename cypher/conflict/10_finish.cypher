// Conflict Reduction, last step: the run is done: its StageRun gets state 'done' with the statement counts it
// leaves (what `status` and `export` compare against to know it still covers the graph) and its rounds are
// marked complete, in one statement.
MATCH (h:StageRun {id: $run_id})
WHERE h.state = 'started'
OPTIONAL MATCH (s:Statement {nation: $nation})
WITH h, count(s) AS statements, sum(CASE WHEN coalesce(s.status, 'kept') = 'kept' THEN 1 ELSE 0 END) AS kept,
     sum(CASE WHEN s.status = 'removed' THEN 1 ELSE 0 END) AS removed
SET h.state = 'done', h.finished_at = $at, h.at = $ns, h.finished_ms = timestamp(), h.statements = statements, h.kept = kept,
    h.removed = removed, h.rounds = $rounds, h.removed_now = $removed_now, h.summary = $summary
WITH h
OPTIONAL MATCH (r:ReductionRun {run_id: $run_id})
FOREACH (x IN CASE WHEN r IS NULL THEN [] ELSE [r] END | SET x.complete = true)
RETURN count(r) AS rounds
