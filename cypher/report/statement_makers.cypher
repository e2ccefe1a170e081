// Report, honest labels: which provider extracted the statements and made their triples and reverses, as stamped
// on each Statement by extract / construct / link ($nations: list of ISO codes, or null for all).
MATCH (s:Statement)
WHERE $nations IS NULL OR s.nation IN $nations
RETURN s.nation AS nation,
       CASE WHEN s.extracted_by IS NOT NULL THEN s.extracted_by WHEN s.preloaded THEN 'loaded' ELSE NULL END
         AS extracted_by,
       s.constructed_by AS constructed_by, s.reverse_by AS reverse_by, count(s) AS statements
ORDER BY nation
