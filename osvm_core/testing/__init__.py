"""Test helpers and the conformance kit that VM, HAL and policy authors run against their plugins."""
