// Lineage: every article of $nation was placed in the context graph (LINKED) by link run $run.
MATCH (a:Article {nation: $nation})
SET a.link_run = $run
RETURN count(a) AS articles
