// Record that a stage ran for a nation on inputs with this fingerprint ($at: epoch nanoseconds).
MERGE (r:StageRun {id: $id})
SET r.nation = $nation, r.stage = $stage, r.fingerprint = $fingerprint, r.at = $at, r.summary = $summary
