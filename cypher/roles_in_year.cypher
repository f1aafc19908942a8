// Who held a post in a given year: HOLDS_ROLE relationships whose documents, dated, span
// that year (first_seen and last_seen are the dates of the first and last document stating
// the role; a role no dated document states is left out).
// Parameters:
//   $year  a year, e.g. 2025
// Example: {"year": 2025}
MATCH (p:Person)-[r:HOLDS_ROLE]->(o:Entity)
WHERE r.first_seen.year <= toInteger($year) <= r.last_seen.year
RETURN o.id AS organization_id, o.name AS organization, r.title AS title, p.id AS person_id,
       p.name AS person, r.first_seen AS first_seen, r.last_seen AS last_seen
ORDER BY organization_id, title, person_id;
