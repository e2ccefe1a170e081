// Report: Conflict Reduction rounds (ReductionRun nodes not undone) per nation, every run
// ($nations: list of ISO codes, or null for all); the report keeps each nation's latest run.
MATCH (r:ReductionRun)
WHERE ($nations IS NULL OR r.nation IN $nations) AND r.undone IS NULL
RETURN r.nation AS nation, r.run_id AS run_id, r.round AS round, r.open_conflicts AS open_conflicts,
       r.cyclic AS cyclic, r.removed AS removed, r.remaining AS remaining, r.at AS at
ORDER BY nation, at, round
