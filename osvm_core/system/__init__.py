"""Composing systems from TOML files: reading (spec) and building (build)."""
