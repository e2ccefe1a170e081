// Lineage, link: the nation's statements and articles, and how many carry the stamp of link run $link_run.
OPTIONAL MATCH (s:Statement {nation: $nation})
WITH count(s) AS statements, sum(CASE WHEN s.link_run = $link_run THEN 1 ELSE 0 END) AS statements_linked
OPTIONAL MATCH (a:Article {nation: $nation})
RETURN statements, statements_linked, count(a) AS articles,
       sum(CASE WHEN a.link_run = $link_run THEN 1 ELSE 0 END) AS articles_linked
