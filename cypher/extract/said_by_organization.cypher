// Extract: (Statement)-[:SAID_BY]->(Organization) when an organization speaks ($rows: {statement_id, name}).
UNWIND $rows AS r
MATCH (s:Statement {id: r.statement_id})
MERGE (o:Organization {name: r.name})
MERGE (s)-[:SAID_BY]->(o)
