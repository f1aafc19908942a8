"""The write stage: the output folder (:mod:`kg.write.jsonl`, its contract written and read),
GraphML and GEXF for Gephi (:mod:`kg.write.xml`), Neo4j over Bolt and as neo4j-admin CSVs
(:mod:`kg.write.neo4j`) and a PNG (:mod:`kg.write.plot`)."""
