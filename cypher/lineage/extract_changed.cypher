// Lineage, extract: articles of $nation re-loaded with another title or text since their extraction
// (extracted_sha, stamped by extract/mark_done, differs from content_sha, written by load): the statements
// extracted from them are stale and the articles are extracted again.
MATCH (a:Article {nation: $nation})
WHERE a.extracted_at IS NOT NULL AND a.extracted_sha IS NOT NULL AND a.content_sha IS NOT NULL
  AND a.extracted_sha <> a.content_sha
OPTIONAL MATCH (a)-[:STATES]->(s:Statement)
WHERE s.extracted_by IS NOT NULL AND coalesce(s.preloaded, false) = false
RETURN a.id AS article, collect(s.id) AS statements
ORDER BY article
