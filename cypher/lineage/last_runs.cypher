// Lineage: the latest finished (state 'done') run of each stage of a nation ($nation), all its properties.
MATCH (r:StageRun {nation: $nation})
WHERE r.state = 'done'
WITH r ORDER BY r.at DESC
WITH r.stage AS stage, collect(properties(r))[0] AS run
RETURN stage, run
