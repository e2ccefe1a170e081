// Imported evaluation results per model, method, condition (with_cr / without_cr; "" when not recorded), nation,
// set and import run (one items.jsonl): evaluated statements, correct, correct rate. Runs and the two snapshots'
// results are never added together. Only results that still describe the graph count: `stale` counts those
// evaluated on a statement since re-loaded with other text (content_rev) and with_cr results whose reduction run
// was undone or that the reduction now removes; `complete` is false for an import that was interrupted.
// Example: navab-graph query model_summary
MATCH (m:Model)-[e:EVALUATED]->(s:Statement)
OPTIONAL MATCH (i:ResultsImport {run: e.run})
OPTIONAL MATCH (h:StageRun {id: e.cr_run})
WITH m.name AS model, e.method AS method, coalesce(e.condition, '') AS condition, s.nation AS nation,
     coalesce(e.set, s.kind, CASE WHEN s.speaker IS NULL THEN 'official' ELSE 'quoted' END) AS set,
     coalesce(e.run, '') AS run, i, e,
     coalesce(e.content_rev, 0) = coalesce(s.content_rev, 0)
       AND (coalesce(e.condition, '') <> 'with_cr'
            OR (coalesce(s.status, 'kept') = 'kept' AND h IS NOT NULL AND h.state = 'done' AND h.undone IS NULL))
       AS fresh
WITH model, method, condition, nation, set, run, (i IS NULL OR i.state = 'done') AS complete,
     count(CASE WHEN fresh THEN 1 END) AS evaluated,
     count(CASE WHEN fresh AND e.correct = true THEN 1 END) AS correct,
     count(CASE WHEN NOT fresh THEN 1 END) AS stale
RETURN model, method, condition, nation, set, run, complete, evaluated, correct, stale,
       CASE WHEN evaluated = 0 THEN null ELSE toFloat(correct) / evaluated END AS correct_rate
ORDER BY model, method, condition, nation, set, run
