"""The store: Oxigraph, the shared-entity counts, the lesson index, crash recovery."""
