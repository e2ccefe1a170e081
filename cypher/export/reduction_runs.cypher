// How many live Conflict Reduction rounds (ReductionRun not undone or rolled back) a nation has ($nation);
// written into the manifest.
MATCH (r:ReductionRun)
WHERE r.nation = $nation AND r.undone IS NULL
RETURN count(r) AS runs
