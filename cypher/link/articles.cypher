// Link input: the nation's articles (id, title, text). The text comes whole and is cut in Python: the bundled
// FalkorDB's left()/substring() return wrong text or invalid UTF-8 (and once aborted the server) on stored text
// mixing 1-byte and multi-byte characters (tests/test_engine_strings.py).
MATCH (a:Article {nation: $nation})
RETURN a.id AS id, coalesce(a.title, '') AS title, coalesce(a.text, '') AS text, a.link_embedding_key AS key
ORDER BY id
