// Index on Statement.nation for per-nation scans.
CREATE INDEX statement_nation IF NOT EXISTS FOR (n:Statement) ON (n.nation)
