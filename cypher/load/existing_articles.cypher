// Which of $ids are already in the graph, and which load wrote them last.
UNWIND $ids AS id
MATCH (a:Article {id: id})
RETURN a.id AS id, a.load_id AS load_id
