"""osvm's μITRON 4.0 / TOPPERS ASP3 personality, held to the TTSP3 conformance scenarios.

Guests import their API from ``osvm_vm_itron.api``; ``osvm conformance itron``
runs the scenarios.
"""

__version__ = "0.1.0"
