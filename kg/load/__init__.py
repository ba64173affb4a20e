"""Builds: records read, mapped and loaded into a store."""
