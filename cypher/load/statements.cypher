// Ready-made statements carried by loaded articles; status starts as kept, never reset by a re-load. A re-load
// that changes what `link` read (text, question, reverse) clears link_run, so link and the Conflict Reduction
// built on it turn stale instead of vouching for triples they never saw (link_run first: evaluated before the
// new values are set, as in construct/write_triples). content_rev counts such changes (kind and speaker too: they
// decide the set): an imported evaluation result records the content_rev it was evaluated on, and model_summary
// counts it as stale once the statement changed.
UNWIND $rows AS r
MATCH (a:Article {id: r.article_id})
MERGE (s:Statement {id: r.id})
  ON CREATE SET s.status = 'kept'
SET s.link_run = CASE WHEN coalesce(s.text, '') = coalesce(r.text, '')
                        AND coalesce(s.question, '') = coalesce(r.question, '')
                        AND coalesce(s.reverse, '') = coalesce(r.reverse, '') THEN s.link_run ELSE null END,
    s.content_rev = CASE WHEN coalesce(s.text, '') = coalesce(r.text, '')
                           AND coalesce(s.question, '') = coalesce(r.question, '')
                           AND coalesce(s.reverse, '') = coalesce(r.reverse, '')
                           AND coalesce(s.kind, '') = coalesce(r.kind, '')
                           AND coalesce(s.speaker, '') = coalesce(r.speaker, '') THEN s.content_rev
                         ELSE coalesce(s.content_rev, 0) + 1 END,
    s.nation = r.nation, s.text = r.text, s.question = r.question, s.reverse = r.reverse,
    s.speaker = r.speaker, s.kind = r.kind, s.lang = r.lang, s.preloaded = true
MERGE (a)-[:STATES]->(s)
