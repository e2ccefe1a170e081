// Conflict Reduction: withdraw the claim of run $run_id (another run holds or claims the nation); it made
// nothing, so its node goes.
MATCH (r:StageRun {id: $run_id})
WHERE r.state = 'claiming'
DELETE r
RETURN count(*) AS withdrawn
