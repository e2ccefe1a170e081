// Sample state (navab_graph/report/sample_state.py, for the report tests): ReductionRun nodes as `navab-graph
// reduce` records them ($rows: [{id, nation, run_id, round, open_conflicts, cyclic, removed, remaining, at,
// undone}]).
UNWIND $rows AS r
MERGE (x:ReductionRun {id: r.id})
SET x.nation = r.nation, x.run_id = r.run_id, x.round = r.round, x.open_conflicts = r.open_conflicts,
    x.cyclic = r.cyclic, x.removed = r.removed, x.remaining = r.remaining, x.at = r.at, x.undone = r.undone
