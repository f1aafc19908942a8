// People ranked by degree: how many relationships (roles held, co-occurrences, place links)
// connect each person to other entities. Ties are broken by entity id.
// Parameters:
//   $limit  how many people to return, e.g. 10
// Example: {"limit": 10}
MATCH (p:Person)
OPTIONAL MATCH (p)-[r:HOLDS_ROLE|CO_OCCURS|PART_OF|LOCATED_IN]-(:Entity)
WITH p, count(r) AS degree
RETURN p.id AS id, p.name AS name, degree
ORDER BY degree DESC, id
LIMIT toInteger($limit);
