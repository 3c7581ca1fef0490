"""osvm-mem-bestfit: best-fit placement, registered as the allocator "best-fit".

The implementation is in :mod:`osvm_mem_bestfit.best_fit`; this package file
imports nothing, so loading the plugin stays cheap.
"""

__version__ = "0.1.0"
