// Who holds which stance in a nation ($nation): speakers (Person / Organization) per issue and side, with
// their kept and removed statements.
MATCH (s:Statement {nation: $nation})-[:SAID_BY]->(p)
RETURN coalesce(s.issue, s.id) AS issue, coalesce(s.side, 1) AS side, labels(p)[0] AS kind, p.name AS holder,
       count(CASE WHEN coalesce(s.status, 'kept') = 'kept' THEN 1 END) AS kept,
       count(CASE WHEN s.status = 'removed' THEN 1 END) AS removed
ORDER BY issue, side DESC, holder
