// Link: issue and side per statement ($rows: [{id, issue, side}]).
UNWIND $rows AS r
MATCH (s:Statement {id: r.id})
SET s.issue = r.issue, s.side = r.side
