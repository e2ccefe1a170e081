// Speakers of ready-made statements ($rows: [{statement_id, speaker}]).
UNWIND $rows AS r
MATCH (s:Statement {id: r.statement_id})
MERGE (p:Person {name: r.speaker})
MERGE (s)-[:SAID_BY]->(p)
