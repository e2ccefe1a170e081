// Verify: every stored human label with its statement's nation ($nations: list of ISO codes, or null for all).
MATCH (a:Annotator)-[v:VERIFIED]->(s:Statement)
WHERE $nations IS NULL OR s.nation IN $nations
RETURN s.nation AS nation, v.anchor_id AS anchor_id, s.id AS statement_id, s.text AS statement,
       a.name AS annotator, v.label AS label, v.item_id AS item_id, v.at AS at
ORDER BY nation, anchor_id, statement_id, annotator
