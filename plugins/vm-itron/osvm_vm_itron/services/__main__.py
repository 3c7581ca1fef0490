"""``python -m osvm_vm_itron.services``: the README's service table."""

from . import markdown_table

print(markdown_table(), end="")
