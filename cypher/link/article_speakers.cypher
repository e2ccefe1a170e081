// Link input: speakers (Person / Organization a statement is SAID_BY) per article of the nation.
MATCH (a:Article {nation: $nation})-[:STATES]->(:Statement)-[:SAID_BY]->(p)
RETURN DISTINCT a.id AS article, labels(p)[0] + ':' + p.name AS speaker
