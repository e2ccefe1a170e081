// Undo Conflict Reduction: the nation's ReductionRun nodes are marked undone (kept for the audit trail).
MATCH (r:ReductionRun {nation: $nation})
WHERE r.undone IS NULL
SET r.undone = true, r.undone_at = $at
RETURN count(r) AS runs
