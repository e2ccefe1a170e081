// Articles of one batch and one source, merged on their stable id ($rows: article maps holding every property
// the loader writes, null where it has no value, so that a re-load also clears a value that went away;
// $source, $load_id). published_raw: the date as given when it could not be read as a date (published is null).
// The source is matched once per batch, not once per row, and `SET a += r` instead of one SET per property:
// together about a third of the engine's time for a 5,000-row batch (docs/benchmarks/load.md).
MATCH (s:Source {id: $source})
UNWIND $rows AS r
MERGE (a:Article {id: r.id})
SET a += r, a.load_id = $load_id
MERGE (a)-[:PUBLISHED_BY]->(s)
