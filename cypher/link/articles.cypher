// Link input: the nation's articles (id, title, start of the text).
MATCH (a:Article {nation: $nation})
RETURN a.id AS id, coalesce(a.title, '') AS title, left(coalesce(a.text, ''), 2000) AS text,
       a.link_embedding_key AS key
ORDER BY id
