"""Interactive HTML views of the networks."""
