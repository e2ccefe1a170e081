// import-results, after every EVALUATED edge of these files was written ($runs: [{run, imported, stale}], $at).
UNWIND $runs AS r
MATCH (i:ResultsImport {run: r.run})
SET i.state = 'done', i.finished_at = $at, i.imported = r.imported, i.stale = r.stale
