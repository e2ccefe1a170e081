// Remove the nation's Topic nodes that a new topic run did not produce ($nation, $ids), with their edges.
MATCH (t:Topic {nation: $nation})
WHERE NOT t.id IN $ids
DETACH DELETE t
