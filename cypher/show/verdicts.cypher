// Show: every imported model verdict on a statement, (:Model)-[:EVALUATED]->(:Statement) ($id); one per model,
// method and condition (with_cr / without_cr, "" when not recorded).
MATCH (m:Model)-[e:EVALUATED]->(:Statement {id: $id})
RETURN m.name AS model, e.method AS method, e.condition AS condition, e.correct AS correct, e.ppl_s AS ppl_s,
       e.ppl_rs AS ppl_rs, e.judge AS judge, e.verdict AS verdict, e.order AS order, e.set AS set,
       e.split AS split, e.backend AS backend, e.run AS run
ORDER BY model, method, condition
