// Sample state (navab_graph/report/sample_state.py, for the report tests): statements marked removed by Conflict
// Reduction, found by article and text ($rows: [{article_id, text, round, reason}]).
UNWIND $rows AS r
MATCH (:Article {id: r.article_id})-[:STATES]->(s:Statement {text: r.text})
SET s.status = 'removed', s.removed_round = r.round, s.removed_reason = r.reason
RETURN count(s) AS removed
