// Topic nodes of one run, merged on their stable id "<nation>:<n>" ($rows). Screening fields are reset: a new
// topic model invalidates them (run `navab-graph screen` again).
UNWIND $rows AS r
MERGE (t:Topic {id: r.id})
SET t.nation = r.nation, t.n = r.n, t.label = r.label, t.keywords = r.keywords, t.size = r.size,
    t.lang = r.lang, t.created_by = r.created_by, t.sample_ids = r.sample_ids, t.model = r.model,
    t.seed = r.seed, t.value_related = null, t.reason = null, t.screened_by = null
