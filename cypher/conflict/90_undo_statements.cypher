// Undo Conflict Reduction: statements removed by a reduction (removed_run set) go back to kept.
MATCH (s:Statement {nation: $nation})
WHERE s.removed_run IS NOT NULL
SET s.status = 'kept', s.removed_round = null, s.removed_run = null, s.removed_reason = null,
    s.removed_conflict = null, s.removed_path = null
RETURN count(s) AS restored
