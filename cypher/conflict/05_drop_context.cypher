// Conflict Reduction, step 2c: nothing to drop on FalkorDB (the Neo4j variant drops the GDS projection).
RETURN 0 AS skipped
