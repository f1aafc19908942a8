// Organisations located in a place: an organisation (or a unit PART_OF one, up to 3 levels)
// is LOCATED_IN a place that is the given place or lies inside it (PART_OF, up to 5 levels).
// The place is matched on its name or any of its aliases.
// Parameters:
//   $place  the place's name or an alias, e.g. "内蒙古"
// Example: {"place": "内蒙古"}
MATCH (place:Place)
WHERE place.name = $place OR $place IN place.aliases
MATCH (o:Organization)-[:PART_OF*0..3]->(:Organization)-[:LOCATED_IN]->(at:Place)-[:PART_OF*0..5]->(place)
WITH o, collect(DISTINCT at.name) AS located_in
RETURN o.id AS id, o.name AS organization, located_in
ORDER BY id;
