"""pytest plugin of osvm-core (registered through the ``pytest11`` entry point)."""
