// Extract: mark articles as processed ($rows: {id, statements}, $at, $provider, $run: the extraction run);
// clears an earlier error. extracted_sha: the content the statements were extracted from (lineage: a re-load
// that changes the article's title or text makes them stale).
UNWIND $rows AS r
MATCH (a:Article {id: r.id})
SET a.extracted_at = $at, a.extracted_by = $provider, a.extract_statements = r.statements, a.extract_run = $run,
    a.extract_attempts = coalesce(a.extract_attempts, 0) + 1, a.extract_error = null,
    a.extracted_sha = a.content_sha
