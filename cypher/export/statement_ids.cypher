// Ids of a nation's statements ($nation); the exporter sorts them and fetches details in batches by id.
MATCH (s:Statement)
WHERE s.nation = $nation
RETURN s.id AS id
