// Index on Article.nation (FalkorDB; re-running it reports 'already indexed', which is fine).
CREATE INDEX FOR (n:Article) ON (n.nation)
