// Who holds roles in an organisation: each person and title.
// The organisation is matched on its name or any of its aliases.
// Parameters:
//   $name  the organisation's name or an alias, e.g. "自治区人大常委会"
// Example: {"name": "自治区人大常委会"}
MATCH (o:Organization)
WHERE o.name = $name OR $name IN o.aliases
MATCH (p:Entity)-[r:HOLDS_ROLE]->(o)
RETURN o.name AS organization, p.id AS person_id, p.name AS person, r.title AS title,
       r.title_normalised AS title_normalised
ORDER BY person_id, title;
