// Uniqueness of Nation.code on Neo4j.
CREATE CONSTRAINT nation_code IF NOT EXISTS FOR (n:Nation) REQUIRE n.code IS UNIQUE
