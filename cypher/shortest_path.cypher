// The shortest chain of relationships (any direction, at most 6 hops) between two entities,
// each matched on its name or any of its aliases.
// Parameters:
//   $from  the first entity's name or an alias, e.g. "张韶春"
//   $to    the second entity's name or an alias, e.g. "包头"
// Example: {"from": "张韶春", "to": "包头"}
MATCH (a:Entity)
WHERE a.name = $from OR $from IN a.aliases
MATCH (b:Entity)
WHERE (b.name = $to OR $to IN b.aliases) AND b <> a
MATCH path = shortestPath((a)-[:HOLDS_ROLE|CO_OCCURS|PART_OF|LOCATED_IN*..6]-(b))
RETURN [n IN nodes(path) | n.name] AS names, [n IN nodes(path) | n.id] AS ids,
       [r IN relationships(path) | type(r)] AS types, length(path) AS hops
ORDER BY hops, ids
LIMIT 1;
