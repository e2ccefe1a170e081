// Report, graph pictures: the statements of one issue with side, status and removal ($issue).
MATCH (t:Statement {issue: $issue})
RETURN t.id AS id, t.text AS text, t.side AS side, coalesce(t.status, 'kept') AS status,
       t.removed_round AS removed_round, t.removed_conflict AS removed_conflict, t.removed_path AS removed_path,
       t.weight AS weight, t.dominant AS dominant
ORDER BY id
