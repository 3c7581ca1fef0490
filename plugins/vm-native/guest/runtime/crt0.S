/*
 * crt0 of osvm native programs. The loader has placed and relocated the image,
 * copied .data and cleared .bss, and set R15 to the top of a stack from the
 * program's stack pool, so the entry point only calls main and exits with its
 * result. (A task whose entry is an export, main included, is called directly
 * with PR at the VM's return address; _start is the ELF entry for tools.)
 */
        .text
        .align  1
        .global _start
        .type   _start, @function
_start:
        mov.l   .Lmain, r0
        jsr     @r0
        nop
        mov     r0, r4
        trapa   #0x20           /* OSVM_SYS_EXIT */
        bra     _start
        nop
        .align  2
.Lmain: .long   main
        .size   _start, . - _start

        .section .note.GNU-stack, "", @progbits
