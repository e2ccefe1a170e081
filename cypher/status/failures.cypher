// Status: items whose LLM call failed (articles: extract_error; statements: triple_error).
MATCH (a:Article {nation: $nation})
WHERE a.extract_error IS NOT NULL
RETURN 'extract' AS stage, a.id AS id, a.extract_attempts AS attempts, a.extract_error AS error
UNION ALL
MATCH (s:Statement {nation: $nation})
WHERE s.triple_error IS NOT NULL
RETURN 'construct' AS stage, s.id AS id, s.triple_attempts AS attempts, s.triple_error AS error
