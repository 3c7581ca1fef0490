# Flags and runtime for osvm native (SH-3) programs; include it from any Makefile:
#
#   include path/to/plugins/vm-native/guest/osvm.mk
#   prog.elf: prog.c $(OSVM_DEPS)
#   	$(OSVM_CC) $(OSVM_CFLAGS) $(OSVM_LDFLAGS) $(OSVM_RUNTIME) $< $(OSVM_LIBS) -o $@
#
# The SH-4 gcc builds SH-3 code: -m4-nofpu -ml, and --isa=sh3 makes the assembler refuse
# anything an SH-3 lacks (the linked ELF then carries e_flags 3). -Wl,-q keeps the
# relocations so osvm can place a program anywhere in RAM; -Wl,-N packs text and data
# into one segment (no page gaps). libgcc provides division and 64-bit helpers.
#
# Debian's gcc 12 miscompiles SH code in its sh_treg_combine passes (fixed in gcc 13), so
# the build loads tools/no_treg_combine.so, a GCC plugin that switches them off; building
# it needs g++ and gcc-12-plugin-dev-sh4-linux-gnu.

OSVM_GUEST   := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
CROSS        ?= sh4-linux-gnu-
HOSTCXX      ?= g++
OSVM_CC      := $(CROSS)gcc
OSVM_PLUGIN  := $(OSVM_GUEST)/tools/no_treg_combine.so
OSVM_CFLAGS  := -fplugin=$(OSVM_PLUGIN) -m4-nofpu -ml -O2 -ffreestanding -fno-builtin -nostdlib \
                -fno-pie -fno-tree-loop-distribute-patterns -fno-asynchronous-unwind-tables \
                -Wa,--isa=sh3 -Wa,--noexecstack -Wall -Wextra -I$(OSVM_GUEST)/include
OSVM_LDFLAGS := -static -no-pie -Wl,-q -Wl,-N -Wl,--build-id=none -Wl,--no-warn-rwx-segments
OSVM_LIBS    := -lgcc

OSVM_COMMON        := $(OSVM_GUEST)/runtime/printf.c $(OSVM_GUEST)/runtime/string.c
OSVM_RUNTIME       := $(OSVM_GUEST)/runtime/crt0.S $(OSVM_GUEST)/runtime/osvm_io.c $(OSVM_COMMON)
OSVM_LINUX_RUNTIME := $(OSVM_GUEST)/runtime/linux/crt0.S $(OSVM_GUEST)/runtime/linux/linux_io.c $(OSVM_COMMON)
OSVM_HEADERS       := $(OSVM_GUEST)/include/libc.h $(OSVM_GUEST)/include/osvm.h
OSVM_DEPS          := $(OSVM_RUNTIME) $(OSVM_HEADERS) $(OSVM_PLUGIN)

$(OSVM_PLUGIN): $(OSVM_GUEST)/tools/no_treg_combine.cc
	$(HOSTCXX) -shared -fPIC -fno-rtti -O2 -I$$($(OSVM_CC) -print-file-name=plugin)/include $< -o $@
