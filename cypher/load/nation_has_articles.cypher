// Whether $nation has any article yet: a load into a nation without any takes the bulk path by itself.
MATCH (a:Article {nation: $nation})
RETURN a.id AS id
LIMIT 1
