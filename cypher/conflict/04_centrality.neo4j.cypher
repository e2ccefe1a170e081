// Conflict Reduction, step 2b (Neo4j GDS): article centrality = gds.pageRank on the projected Article/LINKED
// graph; Statement.weight = sum of the PageRank of the articles stating it, for the statements of this
// round's contested issues (cr_key = $key). Round 1 only: LINKED does not change during a run and later
// rounds' issues are parts of round 1's, whose weights stay valid.
CALL gds.pageRank.stream($graph, {dampingFactor: $damping, maxIterations: 100, tolerance: 0.0001})
YIELD nodeId, score
WITH gds.util.asNode(nodeId) AS node, score
MATCH (node)-[:STATES]->(s:Statement)
WHERE s.cr_key = $key
WITH s, sum(score) AS w
SET s.weight = w
RETURN count(s) AS statements
