// Extract: statements found in articles ($rows: {id, article_id, nation, text, lang, speaker, organization,
// provider}), stamped with the extraction run ($run); status is set to kept on create only, so a re-run never
// undoes a Conflict Reduction removal.
UNWIND $rows AS r
MATCH (a:Article {id: r.article_id})
MERGE (s:Statement {id: r.id})
  ON CREATE SET s.status = 'kept'
SET s.nation = r.nation, s.text = r.text, s.lang = r.lang, s.speaker = r.speaker,
    s.organization = r.organization, s.extracted_by = r.provider, s.extract_run = $run
MERGE (a)-[:STATES]->(s)
