// Articles of one batch, merged on their stable id ($rows: article dicts, $load_id).
// published_raw: the date as given when it could not be read as a date (published is then null).
UNWIND $rows AS r
MATCH (s:Source {id: r.source})
MERGE (a:Article {id: r.id})
SET a.nation = r.nation, a.source = r.source, a.title = r.title, a.text = r.text, a.lang = r.lang,
    a.published = r.published, a.published_raw = r.published_raw, a.url = r.url, a.truncated = r.truncated,
    a.load_id = $load_id
MERGE (a)-[:PUBLISHED_BY]->(s)
