// Topics of a nation, largest first ($nation).
MATCH (t:Topic {nation: $nation})
RETURN t.id AS id, t.label AS label, t.keywords AS keywords, t.size AS size, t.lang AS lang,
       t.created_by AS created_by, t.value_related AS value_related, t.screened_by AS screened_by,
       t.reason AS reason, t.sample_ids AS sample_ids
ORDER BY t.size DESC, t.id
