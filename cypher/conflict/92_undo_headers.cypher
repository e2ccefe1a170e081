// Undo Conflict Reduction: the nation's reduce StageRuns are marked undone (a started one, interrupted or not,
// becomes rolled_back), so no snapshot can claim a reduction that no longer holds.
MATCH (h:StageRun {nation: $nation, stage: 'reduce'})
WHERE h.undone IS NULL AND h.state IN ['done', 'started', 'claiming']
SET h.undone = true, h.undone_at = $at,
    h.state = CASE WHEN h.state IN ['started', 'claiming'] THEN 'rolled_back' ELSE h.state END
RETURN count(h) AS runs
