// Conflict Reduction, step 2b: article centrality = PageRank on Article/LINKED (algo.pageRank follows edge
// direction; LINKED is stored both ways, which makes it undirected). Statement.weight = sum of the PageRank of
// the articles stating it, for the statements of this round's contested issues (cr_key = $key). Round 1
// only: LINKED does not change during a run and later rounds' issues are parts of round 1's, whose weights
// stay valid.
CALL algo.pageRank('Article', 'LINKED') YIELD node, score
WITH node, score
MATCH (node)-[:STATES]->(s:Statement)
WHERE s.cr_key = $key
WITH s, sum(score) AS w
SET s.weight = w
RETURN count(s) AS statements
