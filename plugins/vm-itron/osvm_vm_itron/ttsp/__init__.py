"""The TTSP3 conformance runner: TOPPERS ASP3 API scenarios (TESRY YAML) against the personality."""
