// Nations that have statements, with how many statements each (for `navab-graph export --all`).
MATCH (s:Statement)
WHERE s.nation IS NOT NULL
RETURN s.nation AS nation, count(s) AS statements
ORDER BY nation
