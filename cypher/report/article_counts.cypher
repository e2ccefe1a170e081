// Report, Table 1: articles per nation ($nations: list of ISO codes, or null for all).
MATCH (a:Article)
WHERE $nations IS NULL OR a.nation IN $nations
RETURN a.nation AS nation, count(a) AS articles
ORDER BY nation
