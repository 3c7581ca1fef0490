"""osvm-vm-native: SH-3 ELF programs as osvm modules, run on the SH-3 CPU (the VM kind "native")."""
