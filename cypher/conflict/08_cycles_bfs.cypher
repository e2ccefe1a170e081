// Conflict Reduction, step 4b, the breadth-first plan (FalkorDB, chosen per nation by reduce/runner.py): the
// same marks as 08_cycles, found by shortestPath, a breadth-first search cut at $max_hops (the bound is written
// into the text by the registry: no engine takes it as a parameter). On FalkorDB 4.16 a shortestPath call
// costs time in proportion to the whole graph's node count, while algo.SPpaths (08_cycles) costs in
// proportion to the paths of <= $max_hops hops from the article: this plan wins on a dense context graph
// (3,000 articles, mean degree 16.5: 15x), loses on a large sparse one (1M articles, degree 4.8: 64x slower).
// Marks the edge with cyclic_key = $key (run:round), cyclic_run = $run_id and witness (article ids).
MATCH (s:Statement {nation: $nation})-[c:CONFLICTS]->(t:Statement {nation: $nation})
WHERE s <> t AND coalesce(s.status, 'kept') = 'kept' AND coalesce(t.status, 'kept') = 'kept'
MATCH (a:Article)-[:STATES]->(s)
MATCH (b:Article)-[:STATES]->(t)
WHERE a <> b
WITH c, shortestPath((a)-[:LINKED*1..$max_hops]->(b)) AS path
WHERE path IS NOT NULL
WITH c, path
ORDER BY length(path)
WITH c, collect([n IN nodes(path) | n.id])[0] AS witness
SET c.cyclic_key = $key, c.cyclic_run = $run_id, c.witness = witness
RETURN count(c) AS cyclic
