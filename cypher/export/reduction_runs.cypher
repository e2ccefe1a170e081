// How many Conflict Reduction rounds were recorded for a nation ($nation); written into the manifest.
MATCH (r:ReductionRun)
WHERE r.nation = $nation
RETURN count(r) AS runs
