// Show: human verification labels on a statement, and how often it served as the verified original ($id).
OPTIONAL MATCH (a:Annotator)-[v:VERIFIED]->(:Statement {id: $id})
WITH collect(CASE WHEN a IS NULL THEN NULL ELSE {annotator: a.name, label: v.label, anchor_id: v.anchor_id,
                                                  at: v.at} END) AS labels
OPTIONAL MATCH ()-[w:VERIFIED {anchor_id: $id}]->()
RETURN labels, count(w) AS as_anchor
