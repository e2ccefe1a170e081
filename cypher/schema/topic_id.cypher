// Index on Topic.id (FalkorDB; re-running it reports 'already indexed', which is fine).
CREATE INDEX FOR (n:Topic) ON (n.id)
