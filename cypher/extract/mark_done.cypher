// Extract: mark articles as processed ($rows: {id, statements}, $at, $provider, $run: the extraction run);
// clears an earlier error.
UNWIND $rows AS r
MATCH (a:Article {id: r.id})
SET a.extracted_at = $at, a.extracted_by = $provider, a.extract_statements = r.statements, a.extract_run = $run,
    a.extract_attempts = coalesce(a.extract_attempts, 0) + 1, a.extract_error = null
