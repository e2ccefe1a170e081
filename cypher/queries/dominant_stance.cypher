// Dominant stance per issue of a nation ($nation): the issue's sides with their kept/removed statement counts,
// the side weight (sum of Statement.weight = PageRank of the stating articles, set by the last
// reduction for contested issues) and which side is dominant.
MATCH (s:Statement {nation: $nation})
WHERE s.issue IS NOT NULL
WITH s.issue AS issue, coalesce(s.side, 1) AS side, coalesce(s.weight, 0.0) AS w, s
WITH issue, side, sum(CASE WHEN coalesce(s.status, 'kept') = 'kept' THEN w ELSE 0.0 END) AS weight,
     count(CASE WHEN coalesce(s.status, 'kept') = 'kept' THEN 1 END) AS kept,
     count(CASE WHEN s.status = 'removed' THEN 1 END) AS removed,
     min(s.text) AS example
WITH issue, collect({side: side, weight: weight, kept: kept, removed: removed, example: example}) AS sides
WITH issue, sides, reduce(m = -1.0, x IN sides | CASE WHEN x.weight > m THEN x.weight ELSE m END) AS top
UNWIND sides AS x
RETURN issue, x.side AS side, x.kept AS kept, x.removed AS removed, x.weight AS weight,
       size(sides) = 1 OR x.weight = top AS dominant, x.example AS example
ORDER BY issue, side DESC
