// Imported evaluation results per model, method, condition (with_cr / without_cr; "" when not recorded), nation
// and set: evaluated statements, correct, correct rate. The two snapshots' results are never added together.
// Example: navab-graph query model_summary
MATCH (m:Model)-[e:EVALUATED]->(s:Statement)
WITH m.name AS model, e.method AS method, coalesce(e.condition, '') AS condition, s.nation AS nation,
     coalesce(e.set, s.kind, CASE WHEN s.speaker IS NULL THEN 'official' ELSE 'quoted' END) AS set, e
WITH model, method, condition, nation, set, count(e) AS evaluated,
     count(CASE WHEN e.correct = true THEN 1 END) AS correct
RETURN model, method, condition, nation, set, evaluated, correct, toFloat(correct) / evaluated AS correct_rate
ORDER BY model, method, condition, nation, set
