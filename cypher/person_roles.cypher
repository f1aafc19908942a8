// The roles a person holds: title (as written, and its grouping key) and organisation, with how
// many evidence spans support each.
// The person is matched on its name or any of its aliases.
// Parameters:
//   $name  the person's name or an alias, e.g. "段志强"
// Example: {"name": "段志强"}
MATCH (p:Person)
WHERE p.name = $name OR $name IN p.aliases
MATCH (p)-[r:HOLDS_ROLE]->(o:Entity)
RETURN p.id AS person_id, p.name AS person, r.title AS title, r.title_normalised AS title_normalised,
       o.id AS organization_id, o.name AS organization, size(coalesce(r.evidence_docs, [])) AS evidence
ORDER BY person_id, organization_id, title;
