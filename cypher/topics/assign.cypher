// Article -> Topic assignment with 2-D map coordinates and how it was assigned ($rows: id, topic, x, y, by).
UNWIND $rows AS r
MATCH (a:Article {id: r.id})
MATCH (t:Topic {id: r.topic})
MERGE (a)-[:IN_TOPIC]->(t)
SET a.topic_id = r.topic, a.x = r.x, a.y = r.y, a.topic_assigned_by = r.by
