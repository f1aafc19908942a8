// The entities a document mentions, most mentioned first.
// Parameters:
//   $doc  the document's kg id, e.g. "seeds/000_40da871ae59ea618.txt"
// Example: {"doc": "seeds/000_40da871ae59ea618.txt"}
MATCH (d:Document {id: $doc})<-[m:MENTIONED_IN]-(e:Entity)
RETURN e.id AS id, e.name AS name, e.label AS label, m.count AS mentions
ORDER BY mentions DESC, id;
