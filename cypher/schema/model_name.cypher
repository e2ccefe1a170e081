// Index on Model.name (FalkorDB; re-running it reports 'already indexed', which is fine).
CREATE INDEX FOR (n:Model) ON (n.name)
