// Details of a batch of statements for the snapshot export ($ids), looked up through the Statement.id index.
// Each row carries the statement's articles (with source, url, date, topic label) and SAID_BY names;
// the exporter picks the smallest article id so the choice is the same on every run; who made the statement
// and its triple (extracted_by / constructed_by / preloaded) goes to the manifest's made_by.
UNWIND $ids AS sid
MATCH (s:Statement {id: sid})
OPTIONAL MATCH (a:Article)-[:STATES]->(s)
OPTIONAL MATCH (a)-[:IN_TOPIC]->(t:Topic)
WITH s, collect({id: a.id, source: a.source, url: a.url, published: a.published, lang: a.lang,
                 topic: t.label}) AS articles
OPTIONAL MATCH (s)-[:SAID_BY]->(p)
WITH s, articles, collect(p.name) AS said_by
RETURN s.id AS id, s.kind AS kind, s.text AS text, s.question AS question, s.reverse AS reverse,
       s.lang AS lang, s.speaker AS speaker, s.status AS status, s.removed_round AS removed_round,
       s.removed_reason AS removed_reason, s.preloaded AS preloaded, s.extracted_by AS extracted_by,
       s.constructed_by AS constructed_by, articles, said_by
