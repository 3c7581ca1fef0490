/* hello: arguments in, text out, exit status back (WASI: args_get, fd_write, proc_exit). */
#include <stdio.h>

int main(int argc, char **argv) {
    printf("hello from wasm, %d argument%s\n", argc - 1, argc == 2 ? "" : "s");
    for (int i = 1; i < argc; i++)
        printf("  argv[%d] = %s\n", i, argv[i]);
    return argc - 1; /* the exit status: a non-zero one goes through proc_exit */
}
