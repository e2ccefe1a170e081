// Index on Statement.nation (FalkorDB; re-running it reports 'already indexed', which is fine).
CREATE INDEX FOR (n:Statement) ON (n.nation)
