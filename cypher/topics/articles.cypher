// Articles of one nation with what topic modeling reads ($nation), in id order (a stable input order).
MATCH (a:Article {nation: $nation})
RETURN a.id AS id, a.title AS title, a.text AS text, a.lang AS lang
ORDER BY a.id
