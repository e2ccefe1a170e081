// Lineage: every statement of $nation was linked (AGREES / CONFLICTS, issue, side) by link run $run.
MATCH (s:Statement {nation: $nation})
SET s.link_run = $run
RETURN count(s) AS statements
