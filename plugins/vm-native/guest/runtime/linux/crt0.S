/*
 * crt0 for the Linux SH system-call ABI (qemu-sh4 runs these programs; so does
 * osvm through its Linux compatibility traps). The kernel leaves argc at @R15.
 */
        .text
        .align  1
        .global _start
        .type   _start, @function
_start:
        mov.l   @r15, r4        /* argc */
        mov     r15, r5
        add     #4, r5          /* argv */
        mov.l   .Lmain, r0
        jsr     @r0
        nop
        mov     r0, r4
        mov     #1, r3          /* exit */
        trapa   #0x13
        bra     _start
        nop
        .align  2
.Lmain: .long   main
        .size   _start, . - _start

        .section .note.GNU-stack, "", @progbits
