// kg's Neo4j schema: run once before loading (kg load / kg.neo4j.load_output run it for you;
// run it by hand after `neo4j-admin database import`, which creates no schema).
// Idempotent: IF NOT EXISTS makes every statement a no-op when already applied.
// Parameters: none.

// Entities are keyed by their kg id, e.g. "ORG:包钢集团" (one node per id across corpora).
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE;

// Documents are keyed by their kg id, e.g. "seeds/000_40da871ae59ea618.txt".
CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE;

// Look-ups by display name, e.g. MATCH (e:Entity {name: "包钢集团"}).
CREATE INDEX entity_name IF NOT EXISTS FOR (e:Entity) ON (e.name);
