// Index on Location.name (FalkorDB; re-running it reports 'already indexed', which is fine).
CREATE INDEX FOR (n:Location) ON (n.name)
