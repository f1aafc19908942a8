// The entities one linking rule merged (their merged_by holds it; docs/linking.md names the
// rules), with their aliases and every rule that joined them: to audit a rule's merges.
// Parameters:
//   $rule  a rule name, e.g. "gazetteer", "abbreviation", "place_suffix", "near_spelling"
// Example: {"rule": "gazetteer"}
MATCH (e:Entity)
WHERE $rule IN coalesce(e.merged_by, [])
RETURN e.id AS id, e.name AS name, e.label AS label, e.aliases AS aliases, e.merged_by AS merged_by
ORDER BY id;
