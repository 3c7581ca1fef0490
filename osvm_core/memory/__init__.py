"""Memory: physical RAM from the HAL, fixed-size pools, variable-size pools and allocators."""
