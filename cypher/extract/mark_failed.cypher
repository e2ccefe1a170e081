// Extract: record a failed LLM call on the article ($rows: {id, error, attempts}); it stays pending.
UNWIND $rows AS r
MATCH (a:Article {id: r.id})
SET a.extract_error = r.error, a.extract_attempts = coalesce(a.extract_attempts, 0) + r.attempts
