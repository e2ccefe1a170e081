// Conflict Reduction, before a run: the nation's runs that hold or are claiming the nation (state started or
// claiming; $exclude: our own claim, '' for none), oldest first, with who started them (pid, host, process
// start time): live ones make a new run wait or fail busy, dead ones are rolled back.
MATCH (r:StageRun {nation: $nation, stage: 'reduce'})
WHERE r.state IN ['started', 'claiming'] AND r.run_id <> $exclude
RETURN r.run_id AS run_id, r.state AS state, r.pid AS pid, r.host AS host, r.proc_start AS proc_start,
       r.started_ns AS started_ns, r.started_at AS started_at
ORDER BY started_ns
