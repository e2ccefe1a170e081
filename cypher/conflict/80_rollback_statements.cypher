// Conflict Reduction, roll back an interrupted run ($run_id), step 1: its removals are restored.
MATCH (s:Statement {nation: $nation})
WHERE s.removed_run = $run_id
SET s.status = 'kept', s.removed_round = null, s.removed_run = null, s.removed_reason = null,
    s.removed_conflict = null, s.removed_path = null
RETURN count(s) AS restored
