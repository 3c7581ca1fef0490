"""The OS layer's upper half: tasks, waits, kernel objects, services and the dispatch loop."""
