// Conflict Reduction, roll back an interrupted run ($run_id), step 2: its round records are kept for the audit
// trail but marked undone (readers show live rounds only).
MATCH (r:ReductionRun {nation: $nation})
WHERE r.run_id = $run_id
SET r.undone = true, r.rolled_back = true, r.undone_at = $at
RETURN count(r) AS rounds
