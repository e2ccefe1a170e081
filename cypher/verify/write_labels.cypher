// Verify: human labels as (:Annotator {name})-[:VERIFIED {anchor_id, label, item_id, at, sheet}]->(:Statement),
// merged on (annotator, anchor, statement): re-importing a sheet changes nothing; a changed label replaces the
// old one (kept as previous_label) and gets the new import time ($rows: {statement_id, anchor_id, annotator,
// label, item_id, nation, sheet}; $at: ISO time of this import; $import: its id). Returns per row whether the
// label was new or changed.
UNWIND $rows AS r
MATCH (s:Statement {id: r.statement_id})
MERGE (a:Annotator {name: r.annotator})
MERGE (a)-[v:VERIFIED {anchor_id: r.anchor_id}]->(s)
  ON CREATE SET v.label = r.label, v.at = $at, v.sheet = r.sheet, v.created_in = $import
WITH v, r, v.created_in = $import AS created, v.label <> r.label AS changed
SET v.previous_label = CASE WHEN changed THEN v.label ELSE v.previous_label END,
    v.at = CASE WHEN changed THEN $at ELSE v.at END,
    v.sheet = CASE WHEN changed THEN r.sheet ELSE v.sheet END,
    v.label = r.label, v.item_id = r.item_id, v.nation = r.nation
RETURN created, changed
