// Which of $ids are already in the graph, which load wrote them last, for which nation and source.
UNWIND $ids AS id
MATCH (a:Article {id: id})
RETURN a.id AS id, a.load_id AS load_id, a.nation AS nation, a.source AS source
