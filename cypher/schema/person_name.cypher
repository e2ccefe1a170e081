// Index on Person.name (FalkorDB; re-running it reports 'already indexed', which is fine).
CREATE INDEX FOR (n:Person) ON (n.name)
