// The entities most associated with an entity (CO_OCCURS is stored once per pair, so the
// pattern is undirected), ranked by npmi, then weight. npmi = normalised PMI over the whole
// build (1: only ever together, 0: as chance has it, below 0: less), set by the latest load;
// it is null for pairs seen together fewer than kg.relate.MIN_COUNT times, which come last.
// weight = co-occurrences over all documents; documents = how many.
// The entity is matched on its name or any of its aliases (包钢 finds 包钢集团).
// Parameters:
//   $name   the entity's name or an alias, e.g. "内蒙古自治区人大常委会"
//   $limit  how many rows, e.g. 10
// Example: {"name": "内蒙古自治区人大常委会", "limit": 10}
MATCH (e:Entity)
WHERE e.name = $name OR $name IN e.aliases
MATCH (e)-[c:CO_OCCURS]-(other:Entity)
RETURN e.id AS entity_id, other.id AS other_id, other.name AS other, other.label AS label,
       c.npmi AS npmi, c.weight AS weight, size(c.docs) AS documents
ORDER BY npmi IS NULL, npmi DESC, weight DESC, other_id
LIMIT toInteger($limit);
