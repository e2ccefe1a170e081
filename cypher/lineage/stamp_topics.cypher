// Lineage: the topic assignment of $nation was made by topic run $run (Article.topic_run, Topic.topic_run)
// from the article's content as it was then (Article.topic_sha = content_sha, written by load).
MATCH (a:Article {nation: $nation})-[:IN_TOPIC]->(t:Topic)
SET a.topic_run = $run, t.topic_run = $run, a.topic_sha = a.content_sha
RETURN count(a) AS articles
