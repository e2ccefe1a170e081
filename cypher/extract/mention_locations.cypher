// Extract: (Article)-[:MENTIONS]->(Location {name, lat, lon}) ($rows: {article_id, name, lat, lon}); coordinates
// from the gazetteer, kept when a later mention has none.
UNWIND $rows AS r
MATCH (a:Article {id: r.article_id})
MERGE (l:Location {name: r.name})
SET l.lat = coalesce(r.lat, l.lat), l.lon = coalesce(r.lon, l.lon)
MERGE (a)-[:MENTIONS]->(l)
