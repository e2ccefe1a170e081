// Sample state (navab_graph/report/sample_state.py, for the report tests): Topic nodes as the topics stage
// writes them ($rows: [{id, nation, label, keywords, size, value_related}]).
UNWIND $rows AS r
MERGE (t:Topic {id: r.id})
SET t.nation = r.nation, t.label = r.label, t.keywords = r.keywords, t.size = r.size,
    t.value_related = r.value_related
