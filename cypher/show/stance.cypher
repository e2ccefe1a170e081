// Show: a statement's AGREES / CONFLICTS neighbours with the edge's score, verifier and witness path ($id).
MATCH (s:Statement {id: $id})-[r:AGREES|CONFLICTS]-(t:Statement)
RETURN type(r) AS relation, t.id AS id, t.text AS text, t.side AS side, coalesce(t.status, 'kept') AS status,
       t.removed_round AS removed_round, r.score AS score, r.verified_by AS verified_by, r.witness AS witness,
       startNode(r) = s AS outgoing
ORDER BY relation DESC, id
