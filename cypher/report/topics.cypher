// Report, Figure 3 legend: one nation's topics, largest first ($nation).
MATCH (t:Topic {nation: $nation})
RETURN t.id AS id, t.label AS label, t.size AS size, t.value_related AS value_related, t.keywords AS keywords
ORDER BY coalesce(t.size, 0) DESC, id
