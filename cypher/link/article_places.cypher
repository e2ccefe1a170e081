// Link input: places per article of the nation (mentioned Locations, and the Source's coordinates if any).
MATCH (a:Article {nation: $nation})-[:MENTIONS]->(l:Location)
WHERE l.lat IS NOT NULL AND l.lon IS NOT NULL
RETURN a.id AS article, l.name AS place
UNION
MATCH (a:Article {nation: $nation})-[:PUBLISHED_BY]->(s:Source)
WHERE s.lat IS NOT NULL AND s.lon IS NOT NULL
RETURN a.id AS article, 'source:' + s.id AS place
