// Conflict Reduction, roll back an interrupted run ($run_id), step 3 (last, so a crash during the roll-back
// leaves it 'started' and the next run rolls it back again): the run is 'rolled_back'.
MATCH (h:StageRun {id: $run_id})
SET h.state = 'rolled_back', h.finished_at = $at
RETURN h.run_id AS run_id
