// Test/benchmark fixture writer: statements with side and status ($rows: [{id, side, status, text}]).
UNWIND $rows AS r
CREATE (:Statement {id: r.id, nation: $nation, side: r.side, status: r.status, text: r.text})
