// Link: drop the LINKED edges of the nation's articles before writing the recomputed ones ($nation), so a re-run
// replaces the context graph instead of adding to it (edges from stance pairs that no longer hold would stay).
MATCH (a:Article {nation: $nation})-[l:LINKED]->(:Article)
DELETE l
RETURN count(l) AS cleared
