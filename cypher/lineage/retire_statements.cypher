// Lineage, extract: retire statements ($ids) whose article left the value-related topics: deleted with their
// edges (AGREES / CONFLICTS / STATES / SAID_BY), so no later stage or export can use them; their ids are stable
// hashes, so a re-extraction recreates them.
UNWIND $ids AS id
MATCH (s:Statement {id: id})
DETACH DELETE s
RETURN count(id) AS retired
