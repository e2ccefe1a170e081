// Report, honest labels: who screened the topics (llm | rules | human) ($nations: ISO codes, or null for all).
MATCH (t:Topic)
WHERE ($nations IS NULL OR t.nation IN $nations) AND t.screened_by IS NOT NULL
RETURN t.nation AS nation, t.screened_by AS screened_by, count(t) AS topics
ORDER BY nation
