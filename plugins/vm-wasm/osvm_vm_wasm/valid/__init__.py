"""Validation (type checking) of decoded modules."""

from .module import validate_module

__all__ = ["validate_module"]
