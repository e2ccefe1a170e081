// Conflict Reduction, step 2c (Neo4j GDS): drop the context projection $graph.
CALL gds.graph.drop($graph, false) YIELD graphName
RETURN graphName
