// Index on Source.id (FalkorDB; re-running it reports 'already indexed', which is fine).
CREATE INDEX FOR (n:Source) ON (n.id)
