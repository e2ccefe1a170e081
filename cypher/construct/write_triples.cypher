// Construct: source judgment and <Q, S, RS> ($rows: {id, kind, speaker, question, reverse, provider}), stamped
// with the construct run ($run); values already present (preloaded NaVAB statements) are kept; clears an
// earlier triple_error. A statement that gets its first reverse here needs linking again (link_run cleared;
// evaluated first, before the reverse is set).
UNWIND $rows AS r
MATCH (s:Statement {id: r.id})
SET s.link_run = CASE WHEN s.reverse IS NULL THEN null ELSE s.link_run END,
    s.kind = coalesce(s.kind, r.kind), s.speaker = coalesce(s.speaker, r.speaker),
    s.question = coalesce(s.question, r.question), s.reverse = coalesce(s.reverse, r.reverse),
    s.constructed_by = r.provider, s.constructed_at = $at, s.construct_run = $run, s.triple_error = null,
    s.triple_attempts = coalesce(s.triple_attempts, 0) + 1
