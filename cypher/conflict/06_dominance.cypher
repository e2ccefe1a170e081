// Conflict Reduction, step 3: dominant side per contested issue ($members: the statement ids reached in
// step 1). Side weight = sum of Statement.weight of the side's kept statements; sides within $tie_epsilon
// (relative) are a tie, won by the side of the issue's smallest statement id. Sets Statement.dominant.
UNWIND $members AS id
MATCH (s:Statement {id: id})
WITH s, coalesce(s.weight, 0.0) AS w, CASE WHEN s.side = -1 THEN -1 ELSE 1 END AS side
WITH s.issue_component AS c, collect(s) AS members, collect(side) AS sides, min(s.id) AS first,
     sum(CASE WHEN side = 1 THEN w ELSE 0.0 END) AS wp, sum(CASE WHEN side = -1 THEN w ELSE 0.0 END) AS wn
WITH members, sides, wp, wn,
     [i IN range(0, size(members) - 1) WHERE members[i].id = first | sides[i]][0] AS first_side
WITH members, sides,
     CASE WHEN abs(wp - wn) <= $tie_epsilon * (CASE WHEN wp > wn THEN wp ELSE wn END) THEN first_side
          WHEN wp > wn THEN 1 ELSE -1 END AS dom
UNWIND range(0, size(members) - 1) AS i
WITH members[i] AS s, sides[i] = dom AS d
SET s.dominant = d
RETURN count(s) AS statements, sum(CASE WHEN d THEN 0 ELSE 1 END) AS minority
