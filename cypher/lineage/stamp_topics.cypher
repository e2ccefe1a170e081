// Lineage: the topic assignment of $nation was made by topic run $run (Article.topic_run, Topic.topic_run).
MATCH (a:Article {nation: $nation})-[:IN_TOPIC]->(t:Topic)
SET a.topic_run = $run, t.topic_run = $run
RETURN count(a) AS articles
