// Show: the LINKED kinds between consecutive articles of a witness path ($pairs: [[from, to], ...]).
UNWIND $pairs AS p
MATCH (a:Article {id: p[0]})-[l:LINKED]->(b:Article {id: p[1]})
RETURN p[0] AS source, p[1] AS target, collect(DISTINCT l.kind) AS kinds
