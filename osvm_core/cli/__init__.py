"""The ``osvm`` command: a click group whose commands arrive through the plugin hook."""
