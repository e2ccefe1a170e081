// Show: titles and sources of articles by id (the witness path of a removal) ($ids).
UNWIND $ids AS aid
MATCH (a:Article {id: aid})
RETURN a.id AS id, a.title AS title, a.source AS source, a.url AS url
