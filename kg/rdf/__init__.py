"""Records mapped to RDF: terms, IRIs, evidence links and the mapping itself."""
