// Link: drop the nation's derived AGREES / CONFLICTS edges before writing the recomputed ones (statements stay).
MATCH (s:Statement {nation: $nation})-[r:AGREES|CONFLICTS]->(:Statement)
DELETE r
RETURN count(r) AS cleared
