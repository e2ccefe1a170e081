// Show: who said a statement, (s)-[:SAID_BY]->(Person | Organization) ($id).
MATCH (:Statement {id: $id})-[:SAID_BY]->(p)
RETURN labels(p)[0] AS kind, p.name AS name
ORDER BY kind, name
