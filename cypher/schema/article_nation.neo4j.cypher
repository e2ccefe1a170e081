// Index on Article.nation for per-nation scans.
CREATE INDEX article_nation IF NOT EXISTS FOR (n:Article) ON (n.nation)
