// Link: store a reverse statement constructed by the LLM layer where a statement had none ($rows: [{id, reverse}]).
UNWIND $rows AS r
MATCH (s:Statement {id: r.id})
WHERE s.reverse IS NULL
SET s.reverse = r.reverse, s.reverse_by = $by
