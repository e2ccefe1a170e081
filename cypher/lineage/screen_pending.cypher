// Lineage, screen: the nation's topics (the outlier topic $outlier is never screened) and those without a
// verdict (no value_related flag and no screening attempt; a new topic model resets both, see topics/upsert).
MATCH (t:Topic {nation: $nation})
WHERE t.id <> $outlier
RETURN count(t) AS topics,
       sum(CASE WHEN t.value_related IS NULL AND t.screened_by IS NULL THEN 1 ELSE 0 END) AS unscreened
