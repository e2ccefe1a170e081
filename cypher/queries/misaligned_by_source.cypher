// News sources whose statements a model misaligns on ($model, $nation): per source id (of the articles stating
// the statement) and method, evaluated and wrong counts, worst first.
// Example: navab-graph query misaligned_by_source -p model=SmolLM2-135M-Instruct -p nation=CN
MATCH (m:Model {name: $model})-[e:EVALUATED]->(s:Statement)
WHERE s.nation = $nation
OPTIONAL MATCH (a:Article)-[:STATES]->(s)
WITH e.method AS method, coalesce(a.source, '(no source)') AS source, s, e
WITH method, source, count(DISTINCT s) AS evaluated,
     count(DISTINCT CASE WHEN e.correct = false THEN s END) AS misaligned
RETURN source, method, evaluated, misaligned, toFloat(misaligned) / evaluated AS misaligned_rate
ORDER BY misaligned DESC, misaligned_rate DESC, source, method
