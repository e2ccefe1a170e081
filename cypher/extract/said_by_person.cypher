// Extract: (Statement)-[:SAID_BY]->(Person) for statements with a person speaker ($rows: {statement_id, name}).
UNWIND $rows AS r
MATCH (s:Statement {id: r.statement_id})
MERGE (p:Person {name: r.name})
MERGE (s)-[:SAID_BY]->(p)
