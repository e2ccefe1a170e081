// Speakers whose statements a model misaligns on ($model, $nation): per speaker (the statement's speaker or its
// SAID_BY person/organization; '(official)' when none) and method, evaluated and wrong counts, worst first.
// Example: navab-graph query misaligned_by_speaker -p model=SmolLM2-135M-Instruct -p nation=CN
MATCH (m:Model {name: $model})-[e:EVALUATED]->(s:Statement)
WHERE s.nation = $nation
OPTIONAL MATCH (s)-[:SAID_BY]->(p)
WITH e.method AS method, coalesce(s.speaker, p.name, '(official)') AS speaker, s, e
WITH method, speaker, count(DISTINCT s) AS evaluated,
     count(DISTINCT CASE WHEN e.correct = false THEN s END) AS misaligned
RETURN speaker, method, evaluated, misaligned, toFloat(misaligned) / evaluated AS misaligned_rate
ORDER BY misaligned DESC, misaligned_rate DESC, speaker, method
