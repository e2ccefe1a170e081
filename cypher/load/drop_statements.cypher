// Ready-made statements that re-loaded articles no longer carry ($rows: [{article_id, keep: [statement ids]}]):
// the file is the source of an article's ready-made statements, so one it dropped (or whose text changed: a
// new id) must not stay in the benchmark. Deleted with their edges (as lineage/retire_statements does), which
// makes link and the Conflict Reduction stale (fewer statements than they covered). Extracted statements are
// not touched (their lineage is the article's content_sha).
UNWIND $rows AS r
MATCH (a:Article {id: r.article_id})-[:STATES]->(s:Statement)
WHERE s.preloaded = true AND NOT s.id IN r.keep
DETACH DELETE s
RETURN count(s) AS dropped
