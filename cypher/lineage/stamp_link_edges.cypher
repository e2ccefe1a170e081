// Lineage: the nation's stance edges (AGREES / CONFLICTS; link rewrites all of them each run) were made by link
// run $run.
MATCH (s:Statement {nation: $nation})-[e:AGREES|CONFLICTS]->(:Statement)
SET e.link_run = $run
RETURN count(e) AS edges
