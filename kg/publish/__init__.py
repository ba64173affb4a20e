"""Exports, SHACL validation, and pushing a graph to a SPARQL endpoint."""
