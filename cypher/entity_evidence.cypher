// The documents that mention an entity, with the evidence: how often and where
// (offsets = [start, end, start, end, ...] character offsets into the raw document).
// The entity is matched on its name or any of its aliases.
// Parameters:
//   $name  the entity's name or an alias, e.g. "包头"
// Example: {"name": "包头"}
MATCH (e:Entity)
WHERE e.name = $name OR $name IN e.aliases
MATCH (e)-[m:MENTIONED_IN]->(d:Document)
RETURN e.id AS entity_id, d.id AS document, d.title AS title, d.date AS date,
       m.count AS mentions, m.offsets AS offsets
ORDER BY mentions DESC, document, entity_id;
