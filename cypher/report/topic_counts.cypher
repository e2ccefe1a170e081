// Report, Table 1: topics and value-related topics per nation ($nations: list of ISO codes, or null for all).
MATCH (t:Topic)
WHERE $nations IS NULL OR t.nation IN $nations
RETURN t.nation AS nation, count(t) AS topics,
       sum(CASE WHEN t.value_related = true THEN 1 ELSE 0 END) AS value_topics
ORDER BY nation
