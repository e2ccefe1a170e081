// Check figures of a nation after a topic run: articles, IN_TOPIC edges, articles in exactly one topic ($nation).
MATCH (a:Article {nation: $nation})
WITH a, size([(a)-[:IN_TOPIC]->(t:Topic) | t]) AS k
RETURN count(a) AS articles, sum(k) AS edges, sum(CASE WHEN k = 1 THEN 1 ELSE 0 END) AS with_one_topic
