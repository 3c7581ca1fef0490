"""osvm-mem-tlsf: two-level segregated fit placement, registered as the allocator "tlsf".

The implementation is in :mod:`osvm_mem_tlsf.tlsf`; this package file imports
nothing, so loading the plugin stays cheap.
"""

__version__ = "0.1.0"
