// Conflict Reduction, step 0a: announce run $run_id: its StageRun with state 'claiming'. Mutual exclusion is
// announce-then-check (00_started after this write; 00_promote only when nobody else holds or claims the
// nation), because a MATCH-then-CREATE in one statement is not atomic on FalkorDB (reads run concurrently).
CREATE (r:StageRun {id: $run_id})
SET r.run_id = $run_id, r.nation = $nation, r.stage = 'reduce', r.state = 'claiming', r.started_at = $at,
    r.started_ns = $ns, r.pid = $pid, r.host = $host, r.proc_start = $proc_start, r.settings_fp = $settings_fp,
    r.settings = $params, r.link_run = $link_run, r.code_version = $code_version
RETURN r.run_id AS run_id
