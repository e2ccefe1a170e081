// Conflict Reduction, the plan of step 4b (reduce/runner.py cycles_plan): LINKED edges of up to 5,000 of the
// nation's articles (the mean degree), and the graph's node count (what one shortestPath call costs on FalkorDB).
MATCH (a:Article {nation: $nation})
WITH a LIMIT 5000
OPTIONAL MATCH (a)-[l:LINKED]->()
WITH count(DISTINCT a) AS articles, count(l) AS linked
MATCH (n)
RETURN articles, linked, count(n) AS nodes
