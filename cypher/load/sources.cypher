// Nations and news sources of one load batch ($rows: [{nation, source}]).
UNWIND $rows AS r
MERGE (n:Nation {code: r.nation})
MERGE (s:Source {id: r.source})
  ON CREATE SET s.name = r.source, s.nation = r.nation
