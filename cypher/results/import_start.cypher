// import-results, before any EVALUATED edge of these files is written ($runs: [{run, file}], $at): each file's
// import is 'started' until import_done. An import killed in between leaves its edges under a run that is not
// done, and model_summary says so (complete = false) instead of passing a partial import off as a result.
UNWIND $runs AS r
MERGE (i:ResultsImport {run: r.run})
SET i.state = 'started', i.file = r.file, i.started_at = $at, i.finished_at = null
