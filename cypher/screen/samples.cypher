// Texts of sample articles (the representative documents a topic keeps in sample_ids) for screening ($ids).
UNWIND $ids AS id
MATCH (a:Article {id: id})
RETURN a.id AS id, a.title AS title, a.text AS text
