"""osvm-mem-buddy: binary buddy placement, registered as the allocator "buddy".

The implementation is in :mod:`osvm_mem_buddy.buddy`; this package file imports
nothing, so loading the plugin stays cheap.
"""

__version__ = "0.1.0"
