// Report, Table 1: statements per nation, by source kind, triples (kept, with question and reverse) and
// statements removed by Conflict Reduction ($nations: list of ISO codes, or null for all).
MATCH (s:Statement)
WHERE $nations IS NULL OR s.nation IN $nations
RETURN s.nation AS nation, count(s) AS statements,
       sum(CASE WHEN s.kind = 'quoted' THEN 1 ELSE 0 END) AS quoted,
       sum(CASE WHEN s.kind = 'official' THEN 1 ELSE 0 END) AS official,
       sum(CASE WHEN coalesce(s.status, 'kept') = 'kept' AND s.question IS NOT NULL AND s.reverse IS NOT NULL
                THEN 1 ELSE 0 END) AS triples,
       sum(CASE WHEN s.status = 'removed' THEN 1 ELSE 0 END) AS removed
ORDER BY nation
