"""Pure array functions (no store, no framework): rounding, ranks, bootstrap."""
