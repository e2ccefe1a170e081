// What import-results checks an item against ($ids): each statement's nation, texts, set (kind, speaker and the
// SAID_BY names the export falls back on), CR status and content_rev. An item evaluated on other texts, another
// set, or (with_cr) a statement the current reduction removed is stale and not imported.
UNWIND $ids AS sid
MATCH (s:Statement {id: sid})
OPTIONAL MATCH (s)-[:SAID_BY]->(p)
WITH s, collect(p.name) AS said_by
RETURN s.id AS id, s.nation AS nation, s.text AS text, s.question AS question, s.reverse AS reverse,
       s.kind AS kind, s.speaker AS speaker, said_by, coalesce(s.status, 'kept') AS status
