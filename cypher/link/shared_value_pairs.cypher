// Link: article pairs whose statements agree (AGREES, or the same side of the same issue via AGREES).
MATCH (a:Article {nation: $nation})-[:STATES]->(:Statement)-[e:AGREES]-(:Statement)<-[:STATES]-(b:Article)
WHERE a.id < b.id
RETURN a.id AS a, b.id AS b, max(-e.score) AS weight
