// Test/benchmark fixture writer: articles ($rows: [{id, nation}]).
UNWIND $rows AS r
CREATE (:Article {id: r.id, nation: r.nation})
