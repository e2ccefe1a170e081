// Extract: how many topics the nation has and how many are value-related (0 topics = topics stage not run).
MATCH (t:Topic {nation: $nation})
RETURN count(t) AS topics, sum(CASE WHEN t.value_related = true THEN 1 ELSE 0 END) AS value_topics
