// Index on Organization.name (FalkorDB; re-running it reports 'already indexed', which is fine).
CREATE INDEX FOR (n:Organization) ON (n.name)
