// Conflict Reduction, step 2a (Neo4j GDS): project Article/LINKED as stored (LINKED is written both ways, so
// NATURAL orientation is the undirected graph); parallel edges of different kinds collapse (SINGLE), as in
// FalkorDB's boolean adjacency matrix.
CALL gds.graph.project($graph, 'Article', {LINKED: {orientation: 'NATURAL', aggregation: 'SINGLE'}})
YIELD nodeCount
RETURN nodeCount
