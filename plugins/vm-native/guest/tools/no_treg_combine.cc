// A GCC plugin that switches off the SH back end's sh_treg_combine passes.
//
// Debian's gcc-sh4-linux-gnu 12.2 miscompiles ordinary code in those passes (at -O1 and
// above): a value loaded from memory and tested against zero is taken for a stored T bit,
// and the load and the test are deleted, so e.g. `if (p->flag)` branches on a stale T.
// GCC 13 fixed it. The passes only tidy T-bit handling, so without them the code is
// correct and nearly as good. Built and used by ../Makefile.
#include "gcc-plugin.h"
#include "plugin-version.h"
#include "tree-pass.h"
#include "context.h"

int plugin_is_GPL_compatible;

static void override_gate(void *gcc_data, void *) {
    bool *gate = static_cast<bool *>(gcc_data);
    if (current_pass && current_pass->name && !strncmp(current_pass->name, "sh_treg_combine", 15))
        *gate = false;
}

int plugin_init(struct plugin_name_args *info, struct plugin_gcc_version *version) {
    if (!plugin_default_version_check(version, &gcc_version))
        return 1;
    register_callback(info->base_name, PLUGIN_OVERRIDE_GATE, override_gate, nullptr);
    return 0;
}
