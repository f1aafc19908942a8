// The aliases of an entity (other surface forms linked to it), matched on its name or any alias,
// so asking with an alias shows the canonical name too.
// Parameters:
//   $name  a name or alias, e.g. "北方稀土"
// Example: {"name": "北方稀土"}
MATCH (e:Entity)
WHERE e.name = $name OR $name IN e.aliases
RETURN e.id AS id, e.name AS name, e.label AS label, e.aliases AS aliases
ORDER BY id;
