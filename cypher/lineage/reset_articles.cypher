// Lineage, extract: articles ($ids) to extract again (their content changed since their extraction).
UNWIND $ids AS id
MATCH (a:Article {id: id})
SET a.extracted_at = null, a.extract_run = null, a.extract_statements = null, a.extracted_sha = null
RETURN count(a) AS articles
