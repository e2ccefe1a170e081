// Lineage, construct: kept statements of $nation still lacking a question, reverse or kind, with no failed
// attempt (failures are listed by `status`; `construct` retries them).
MATCH (s:Statement {nation: $nation})
WHERE coalesce(s.status, 'kept') = 'kept' AND (s.question IS NULL OR s.reverse IS NULL OR s.kind IS NULL)
  AND s.triple_error IS NULL
RETURN count(s) AS pending
