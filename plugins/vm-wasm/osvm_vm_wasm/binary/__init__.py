"""Decoding of the binary format."""

from .decode import decode_module

__all__ = ["decode_module"]
