"""SPARQL on a store or an endpoint: parameters, the named queries, safety, deadlines, results."""
