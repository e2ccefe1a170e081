// Conflict Reduction, step 2a: FalkorDB's algo.pageRank needs no projection (the Neo4j variant projects one).
RETURN 0 AS skipped
