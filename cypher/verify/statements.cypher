// Verify: statements by id, with nation, text and status ($ids). Unknown ids are simply absent.
UNWIND $ids AS sid
MATCH (s:Statement {id: sid})
RETURN s.id AS id, s.nation AS nation, s.text AS text, coalesce(s.status, 'kept') AS status
