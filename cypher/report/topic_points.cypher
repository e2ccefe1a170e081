// Report, Figure 3: the 2-D map coordinates (Article.x, Article.y) of one nation's articles with their topic and
// title (hover text of the interactive map) ($nation). Articles without coordinates are left out.
MATCH (a:Article {nation: $nation})
WHERE a.x IS NOT NULL AND a.y IS NOT NULL
OPTIONAL MATCH (a)-[:IN_TOPIC]->(t:Topic)
RETURN a.id AS id, a.title AS title, a.x AS x, a.y AS y, coalesce(t.id, a.topic_id) AS topic, t.label AS label,
       t.value_related AS value_related
ORDER BY id
