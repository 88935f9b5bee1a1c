"""Pages of the duties app, one module per list."""
