// Map points of a nation's articles: id, 2-D coordinates, topic and how it was assigned ($nation).
MATCH (a:Article {nation: $nation})
WHERE a.x IS NOT NULL
RETURN a.id AS id, a.x AS x, a.y AS y, a.topic_id AS topic, a.topic_assigned_by AS by
ORDER BY a.id
