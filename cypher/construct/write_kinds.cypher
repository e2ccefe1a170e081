// Construct: source judgment only ($rows: {id, kind, speaker}), for statements whose triple failed.
UNWIND $rows AS r
MATCH (s:Statement {id: r.id})
SET s.kind = coalesce(s.kind, r.kind), s.speaker = coalesce(s.speaker, r.speaker)
