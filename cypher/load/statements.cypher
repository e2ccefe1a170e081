// Ready-made statements carried by loaded articles; status starts as kept, never reset by a re-load.
UNWIND $rows AS r
MATCH (a:Article {id: r.article_id})
MERGE (s:Statement {id: r.id})
  ON CREATE SET s.status = 'kept'
SET s.nation = r.nation, s.text = r.text, s.question = r.question, s.reverse = r.reverse,
    s.speaker = r.speaker, s.kind = r.kind, s.lang = r.lang, s.preloaded = true
MERGE (a)-[:STATES]->(s)
