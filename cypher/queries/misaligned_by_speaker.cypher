// Speakers whose statements a model misaligns on ($model, $nation): per speaker (the statement's speaker or its
// SAID_BY person/organization; '(official)' when none) and method, evaluated and wrong counts, worst first.
// Per condition (with_cr / without_cr), counting only results that still describe the graph (model_summary).
// Example: navab-graph query misaligned_by_speaker -p model=SmolLM2-135M-Instruct -p nation=CN
MATCH (m:Model {name: $model})-[e:EVALUATED]->(s:Statement)
WHERE s.nation = $nation
OPTIONAL MATCH (h:StageRun {id: e.cr_run})
WITH e, s, h
WHERE coalesce(e.content_rev, 0) = coalesce(s.content_rev, 0)
  AND (coalesce(e.condition, '') <> 'with_cr'
       OR (coalesce(s.status, 'kept') = 'kept' AND h IS NOT NULL AND h.state = 'done' AND h.undone IS NULL))
OPTIONAL MATCH (s)-[:SAID_BY]->(p)
WITH e.method AS method, coalesce(e.condition, '') AS condition, coalesce(s.speaker, p.name, '(official)') AS speaker, s, e
WITH method, condition, speaker, count(DISTINCT s) AS evaluated,
     count(DISTINCT CASE WHEN e.correct = false THEN s END) AS misaligned
RETURN speaker, method, condition, evaluated, misaligned, toFloat(misaligned) / evaluated AS misaligned_rate
ORDER BY misaligned DESC, misaligned_rate DESC, speaker, method, condition
