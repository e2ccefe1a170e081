// Lineage, extract: the articles of statements about to be retired ($ids) are no longer extracted, so they
// are extracted again if they return to a value-related topic.
UNWIND $ids AS id
MATCH (a:Article)-[:STATES]->(s:Statement {id: id})
SET a.extracted_at = null, a.extract_run = null, a.extract_statements = null
RETURN count(DISTINCT a) AS articles
