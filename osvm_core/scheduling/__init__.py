"""Two cooperating schedulers: OS round-robin over domains, and a policy per domain."""
