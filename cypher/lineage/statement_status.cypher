// Lineage, reduce: the nation's statements by Conflict Reduction status; `foreign` = removed by no reduction
// run (no removed_run), `derived` = extracted (not preloaded).
MATCH (s:Statement {nation: $nation})
RETURN count(s) AS statements, sum(CASE WHEN coalesce(s.status, 'kept') = 'kept' THEN 1 ELSE 0 END) AS kept,
       sum(CASE WHEN s.status = 'removed' THEN 1 ELSE 0 END) AS removed,
       sum(CASE WHEN s.status = 'removed' AND s.removed_run IS NULL THEN 1 ELSE 0 END) AS foreign,
       sum(CASE WHEN s.extracted_by IS NOT NULL AND coalesce(s.preloaded, false) = false THEN 1 ELSE 0 END)
         AS derived
