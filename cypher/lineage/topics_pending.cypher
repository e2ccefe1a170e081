// Lineage, topics: the nation's articles, those in no topic (loaded after the last topic model), and those
// re-loaded with another title or text since the topic model placed them (topic_sha <> content_sha).
MATCH (a:Article {nation: $nation})
WITH a, size([(a)-[:IN_TOPIC]->(t:Topic) | t]) AS k
RETURN count(a) AS articles, sum(CASE WHEN k = 0 THEN 1 ELSE 0 END) AS untopiced,
       sum(CASE WHEN k > 0 AND a.topic_sha IS NOT NULL AND a.content_sha IS NOT NULL AND a.topic_sha <> a.content_sha
           THEN 1 ELSE 0 END) AS changed
