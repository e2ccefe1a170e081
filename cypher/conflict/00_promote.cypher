// Conflict Reduction, step 0b: nobody else held or claimed the nation after our announcement: run $run_id
// holds it now (state 'started'; claimed_ms: the engine's clock).
MATCH (r:StageRun {id: $run_id})
WHERE r.state = 'claiming'
SET r.state = 'started', r.claimed_ms = timestamp()
RETURN r.run_id AS run_id
