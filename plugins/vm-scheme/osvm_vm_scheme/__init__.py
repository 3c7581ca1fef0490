"""osvm-vm-scheme: an R7RS-small Scheme personality for osvm (reader, expander/compiler, step machine)."""
