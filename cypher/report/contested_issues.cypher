// Report, graph pictures: issues with at least one CONFLICTS edge, per nation, largest first ($nations: list of
// ISO codes, or null for all). One pass over the statements (no per-issue scan).
MATCH (t:Statement)
WHERE t.issue IS NOT NULL AND ($nations IS NULL OR t.nation IN $nations)
OPTIONAL MATCH (t)-[c:CONFLICTS]-(:Statement)
WITH t, count(c) AS conflicts
WITH t.nation AS nation, t.issue AS issue, count(t) AS statements, sum(conflicts) AS conflict_ends,
     sum(CASE WHEN t.status = 'removed' THEN 1 ELSE 0 END) AS removed
WHERE conflict_ends > 0
RETURN nation, issue, statements, conflict_ends / 2 AS conflicts, removed
ORDER BY nation, statements DESC, removed DESC, issue
