// Lineage: a stage run ended well ($id): state 'done', its summary and the input counts it covered
// ($statements / $articles: what `link` stamped; null for other stages). $ns orders a nation's runs.
MATCH (r:StageRun {id: $id})
SET r.state = 'done', r.finished_at = $finished_at, r.at = $ns, r.summary = $summary,
    r.statements = $statements, r.articles = $articles
RETURN r.id AS id
