// Link input: the nation's statements with text, reverse and language.
MATCH (s:Statement {nation: $nation})
RETURN s.id AS id, s.text AS text, s.reverse AS reverse, coalesce(s.lang, '') AS lang, s.embedding_key AS key
ORDER BY id
