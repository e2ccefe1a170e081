// Lineage, topics: the nation's articles and those in no topic (loaded after the last topic model).
MATCH (a:Article {nation: $nation})
WITH a, size([(a)-[:IN_TOPIC]->(t:Topic) | t]) AS k
RETURN count(a) AS articles, sum(CASE WHEN k = 0 THEN 1 ELSE 0 END) AS untopiced
