// Extract: (Article)-[:MENTIONS]->(Organization) ($rows: {article_id, name}).
UNWIND $rows AS r
MATCH (a:Article {id: r.article_id})
MERGE (o:Organization {name: r.name})
MERGE (a)-[:MENTIONS]->(o)
