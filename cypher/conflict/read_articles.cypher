// Conflict Reduction reference input: every article id (PageRank runs on the whole Article/LINKED graph).
MATCH (a:Article)
RETURN a.id AS id
