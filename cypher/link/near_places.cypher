// Link: pairs of places (Locations, Sources with coordinates) within $metres of each other (engine distance).
MATCH (x)
WHERE (x:Location OR x:Source) AND x.lat IS NOT NULL AND x.lon IS NOT NULL
WITH CASE WHEN x:Source THEN 'source:' + x.id ELSE x.name END AS name, point({latitude: x.lat, longitude: x.lon}) AS p
WHERE name IN $places
WITH collect({name: name, p: p}) AS ps
UNWIND ps AS u
UNWIND ps AS v
WITH u, v
WHERE u.name < v.name AND distance(u.p, v.p) <= $metres
RETURN u.name AS a, v.name AS b
