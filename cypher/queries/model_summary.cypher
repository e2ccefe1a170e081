// Imported evaluation results per model, method, nation and set: evaluated statements, correct, correct rate.
// Example: navab-graph query model_summary
MATCH (m:Model)-[e:EVALUATED]->(s:Statement)
WITH m.name AS model, e.method AS method, s.nation AS nation,
     coalesce(e.set, s.kind, CASE WHEN s.speaker IS NULL THEN 'official' ELSE 'quoted' END) AS set, e
WITH model, method, nation, set, count(e) AS evaluated,
     count(CASE WHEN e.correct = true THEN 1 END) AS correct
RETURN model, method, nation, set, evaluated, correct, toFloat(correct) / evaluated AS correct_rate
ORDER BY model, method, nation, set
