// Conflict Reduction, step 4b: a conflict is cyclic when an article stating one side and a different article
// stating the other are joined by a LINKED path of 1..$max_hops hops (a cycle of <= $max_hops + 1 with the
// conflict). The path follows LINKED as stored (outgoing), which is the undirected path because `link` writes
// every LINKED edge both ways (and 'outgoing' is ~15x faster than 'both' here). algo.SPpaths runs only from
// the articles of open conflicts; the shortest path found is the witness. On a dense context graph the
// runner takes 08_cycles_bfs instead (same marks; see there). Marks the edge with
// cyclic_key = $key (run:round), cyclic_run = $run_id and witness (article ids). Runs in round 1 only: LINKED
// and STATES do not change during a run, so later rounds reuse it (08_cycles_known).
MATCH (s:Statement {nation: $nation})-[c:CONFLICTS]->(t:Statement {nation: $nation})
WHERE s <> t AND coalesce(s.status, 'kept') = 'kept' AND coalesce(t.status, 'kept') = 'kept'
MATCH (a:Article)-[:STATES]->(s)
MATCH (b:Article)-[:STATES]->(t)
WHERE a <> b
CALL algo.SPpaths({sourceNode: a, targetNode: b, relTypes: ['LINKED'], maxLen: $max_hops,
                   relDirection: 'outgoing', pathCount: 1})
YIELD path
WITH c, path
ORDER BY length(path)
WITH c, collect([n IN nodes(path) | n.id])[0] AS witness
SET c.cyclic_key = $key, c.cyclic_run = $run_id, c.witness = witness
RETURN count(c) AS cyclic
