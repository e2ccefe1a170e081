// Construct: record why a statement got no triple ($rows: {id, error, attempts}); it is never dropped.
UNWIND $rows AS r
MATCH (s:Statement {id: r.id})
SET s.triple_error = r.error, s.triple_attempts = coalesce(s.triple_attempts, 0) + r.attempts
