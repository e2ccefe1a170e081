// Index on Topic.nation for per-nation scans.
CREATE INDEX topic_nation IF NOT EXISTS FOR (n:Topic) ON (n.nation)
