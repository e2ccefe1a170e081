// Drop the IN_TOPIC edges of the nation's articles before a new assignment is written ($nation).
MATCH (a:Article {nation: $nation})-[r:IN_TOPIC]->(:Topic)
DELETE r
