// Which of $ids are already in the graph, which load wrote them last and for which nation.
UNWIND $ids AS id
MATCH (a:Article {id: id})
RETURN a.id AS id, a.load_id AS load_id, a.nation AS nation
