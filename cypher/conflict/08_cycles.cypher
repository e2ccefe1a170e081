// Conflict Reduction, step 4b: a conflict is cyclic when an article stating one side and a different article
// stating the other are joined by a LINKED path of 1..$max_hops hops (a cycle of <= $max_hops + 1 with the
// conflict). The path follows LINKED as stored (outgoing), which is the undirected path because `link` writes
// every LINKED edge both ways. shortestPath is a breadth-first search cut at $max_hops (the bound is written
// into the text by the registry: no engine takes it as a parameter); algo.SPpaths, used before, enumerates
// paths and took 30x longer on a dense context graph (docs/benchmarks/conflict.md). The shortest path found
// is the witness. Marks the edge with cyclic_key = $key (run:round), cyclic_run = $run_id and witness
// (article ids). Runs in round 1 only: LINKED and STATES do not change during a run, so later rounds reuse
// it (08_cycles_known).
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
