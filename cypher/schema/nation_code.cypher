// Index on Nation.code (FalkorDB; re-running it reports 'already indexed', which is fine).
CREATE INDEX FOR (n:Nation) ON (n.code)
