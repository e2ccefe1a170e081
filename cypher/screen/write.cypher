// Screening verdicts on topics ($rows: id, value_related, reason, by), stamped with the screening run ($run).
UNWIND $rows AS r
MATCH (t:Topic {id: r.id})
SET t.value_related = r.value_related, t.reason = r.reason, t.screened_by = r.by, t.screen_run = $run
