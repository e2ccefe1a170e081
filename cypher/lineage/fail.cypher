// Lineage: a stage run raised ($id, $error): state 'failed'; what it wrote stays stamped with its id.
MATCH (r:StageRun {id: $id})
SET r.state = 'failed', r.finished_at = $finished_at, r.error = $error
RETURN r.id AS id
