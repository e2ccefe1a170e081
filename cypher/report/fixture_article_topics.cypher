// Sample state (navab_graph/report/sample_state.py, for the report tests): map coordinates and topic of articles
// ($rows: [{article_id, topic_id, x, y, by}]); an outlier ('<NATION>:-1', by 'outlier') gets coordinates but no
// IN_TOPIC edge, as the topics stage writes them.
UNWIND $rows AS r
MATCH (a:Article {id: r.article_id})
SET a.x = r.x, a.y = r.y, a.topic_id = r.topic_id, a.topic_assigned_by = r.by
WITH a, r
MATCH (t:Topic {id: r.topic_id})
MERGE (a)-[:IN_TOPIC]->(t)
