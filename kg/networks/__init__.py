"""Networks projected from the graph, and their metrics."""
