// Index on Article.id (FalkorDB; re-running it reports 'already indexed', which is fine).
CREATE INDEX FOR (n:Article) ON (n.id)
