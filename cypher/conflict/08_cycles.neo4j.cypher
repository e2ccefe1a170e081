// Conflict Reduction, step 4b (Neo4j): a conflict is cyclic when an article stating one side and a different
// article stating the other are joined by a LINKED path of 1..$max_hops hops, following LINKED as stored
// (written both ways by `link`); shortestPath, cut at $max_hops (written into the text by the registry: Neo4j
// takes no parameter there), gives the witness.
// Marks the edge with cyclic_key = $key (run:round), cyclic_run = $run_id and witness (article ids). Runs
// in round 1 only: LINKED and STATES do not change during a run, so later rounds reuse it (08_cycles_known).
MATCH (s:Statement {nation: $nation})-[c:CONFLICTS]->(t:Statement {nation: $nation})
WHERE s <> t AND coalesce(s.status, 'kept') = 'kept' AND coalesce(t.status, 'kept') = 'kept'
MATCH (a:Article)-[:STATES]->(s)
MATCH (b:Article)-[:STATES]->(t)
WHERE a <> b
MATCH path = shortestPath((a)-[:LINKED*1..$max_hops]->(b))
WITH c, path
ORDER BY length(path)
WITH c, collect([n IN nodes(path) | n.id])[0] AS witness
SET c.cyclic_key = $key, c.cyclic_run = $run_id, c.witness = witness
RETURN count(c) AS cyclic
