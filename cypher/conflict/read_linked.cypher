// Conflict Reduction reference input: every LINKED article pair as stored (kinds collapsed).
MATCH (a:Article)-[:LINKED]->(b:Article)
RETURN DISTINCT a.id AS a, b.id AS b
