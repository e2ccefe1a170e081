// Show: statements Conflict Reduction removed because of their conflict with this one ($id).
MATCH (t:Statement {removed_conflict: $id})
WHERE t.status = 'removed'
RETURN t.id AS id, t.text AS text, t.removed_round AS removed_round, t.removed_path AS removed_path
ORDER BY id
