// Uniqueness of ReductionRun.id on Neo4j.
CREATE CONSTRAINT reduction_run_id IF NOT EXISTS FOR (n:ReductionRun) REQUIRE n.id IS UNIQUE
