// EVALUATED edges imported before conditions were: condition "" (none named), so that a re-import of the same
// results merges onto them instead of adding a second edge.
MATCH (:Model)-[e:EVALUATED]->(:Statement)
WHERE e.condition IS NULL
SET e.condition = ''
