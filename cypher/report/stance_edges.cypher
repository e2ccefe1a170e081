// Report, graph pictures: AGREES / CONFLICTS edges among the given statements ($ids).
MATCH (s:Statement)-[r:AGREES|CONFLICTS]->(t:Statement)
WHERE s.id IN $ids AND t.id IN $ids
RETURN s.id AS source, t.id AS target, type(r) AS relation
ORDER BY source, target
