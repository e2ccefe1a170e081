// Show: one statement's own properties, without its embedding vectors ($id).
MATCH (s:Statement {id: $id})
RETURN s.id AS id, s.nation AS nation, s.text AS text, s.question AS question, s.reverse AS reverse,
       s.lang AS lang, s.kind AS kind, s.speaker AS speaker, s.organization AS organization,
       coalesce(s.status, 'kept') AS status, s.removed_round AS removed_round, s.removed_run AS removed_run,
       s.removed_conflict AS removed_conflict, s.removed_path AS removed_path, s.removed_reason AS removed_reason,
       s.issue AS issue, s.side AS side, s.weight AS weight, s.dominant AS dominant,
       s.extracted_by AS extracted_by, s.constructed_by AS constructed_by, s.reverse_by AS reverse_by,
       s.preloaded AS preloaded, s.triple_error AS triple_error
