// Construct: source judgment and <Q, S, RS> ($rows: {id, kind, speaker, question, reverse, provider}); values
// already present (preloaded NaVAB statements) are kept; clears an earlier triple_error.
UNWIND $rows AS r
MATCH (s:Statement {id: r.id})
SET s.kind = coalesce(s.kind, r.kind), s.speaker = coalesce(s.speaker, r.speaker),
    s.question = coalesce(s.question, r.question), s.reverse = coalesce(s.reverse, r.reverse),
    s.constructed_by = r.provider, s.constructed_at = $at, s.triple_error = null,
    s.triple_attempts = coalesce(s.triple_attempts, 0) + 1
