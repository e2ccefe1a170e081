// Articles linked to the article(s) stating a statement ($statement_id): kind and weight of each LINKED edge.
MATCH (a:Article)-[:STATES]->(s:Statement {id: $statement_id})
MATCH (a)-[l:LINKED]->(b:Article)
RETURN a.id AS article, b.id AS linked, l.kind AS kind, l.weight AS weight, b.title AS title
ORDER BY article, kind, linked
