// Index on ReductionRun.id (FalkorDB; re-running it reports 'already indexed', which is fine).
CREATE INDEX FOR (n:ReductionRun) ON (n.id)
