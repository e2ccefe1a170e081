// Construct: source judgment only ($rows: {id, kind, speaker}), for statements whose triple failed; stamped
// with the construct run ($run).
UNWIND $rows AS r
MATCH (s:Statement {id: r.id})
SET s.kind = coalesce(s.kind, r.kind), s.speaker = coalesce(s.speaker, r.speaker), s.construct_run = $run
