"""The procedures written in Python, one module per area; importing the package registers them all."""

from . import chars, control, equality, lists, numeric, ports, strings, system, vectors  # noqa: F401
