"""The core's own plugins: default policies, the first-fit allocator and the CLI commands."""
