// Status: per-stage counts of a nation (articles, topics, value topics, extracted articles, statements,
// quoted/official, triples, removed by Conflict Reduction, failures).
MATCH (n:Article {nation: $nation})
WITH count(n) AS articles, sum(CASE WHEN n.extracted_at IS NOT NULL THEN 1 ELSE 0 END) AS extracted,
     sum(CASE WHEN n.extract_error IS NOT NULL THEN 1 ELSE 0 END) AS extract_failed
OPTIONAL MATCH (t:Topic {nation: $nation})
WITH articles, extracted, extract_failed, count(t) AS topics,
     sum(CASE WHEN t.value_related = true THEN 1 ELSE 0 END) AS value_topics
OPTIONAL MATCH (s:Statement {nation: $nation})
RETURN articles, topics, value_topics, extracted, extract_failed, count(s) AS statements,
       sum(CASE WHEN s.preloaded = true THEN 1 ELSE 0 END) AS preloaded,
       sum(CASE WHEN s.kind = 'quoted' THEN 1 ELSE 0 END) AS quoted,
       sum(CASE WHEN s.kind = 'official' THEN 1 ELSE 0 END) AS official,
       sum(CASE WHEN coalesce(s.status, 'kept') = 'kept' AND s.question IS NOT NULL AND s.reverse IS NOT NULL
                THEN 1 ELSE 0 END) AS triples,
       sum(CASE WHEN s.triple_error IS NOT NULL THEN 1 ELSE 0 END) AS triple_failed,
       sum(CASE WHEN s.status = 'removed' THEN 1 ELSE 0 END) AS removed_by_cr
