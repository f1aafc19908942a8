// The entities that co-occur most with an entity (CO_OCCURS is stored once per pair, so the
// pattern is undirected). weight = co-occurrences over all documents; documents = how many.
// The entity is matched on its name or any of its aliases (包钢 finds 包钢集团).
// Parameters:
//   $name   the entity's name or an alias, e.g. "包钢"
//   $limit  how many rows, e.g. 10
// Example: {"name": "包钢", "limit": 10}
MATCH (e:Entity)
WHERE e.name = $name OR $name IN e.aliases
MATCH (e)-[c:CO_OCCURS]-(other:Entity)
RETURN e.id AS entity_id, other.id AS other_id, other.name AS other, other.label AS label,
       c.weight AS weight, size(c.docs) AS documents
ORDER BY weight DESC, other_id
LIMIT toInteger($limit);
