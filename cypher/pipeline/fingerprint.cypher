// Inputs of a nation's stages, for skipping a stage whose inputs did not change.
OPTIONAL MATCH (a:Article {nation: $nation})
WITH count(a) AS articles, count(a.topic_id) AS with_topic
OPTIONAL MATCH (t:Topic {nation: $nation})
WITH articles, with_topic, count(t) AS topics, sum(CASE WHEN t.value_related THEN 1 ELSE 0 END) AS value_topics
OPTIONAL MATCH (s:Statement {nation: $nation})
RETURN articles, with_topic, topics, value_topics, count(s) AS statements,
       sum(CASE WHEN s.question IS NOT NULL AND s.reverse IS NOT NULL THEN 1 ELSE 0 END) AS triples
