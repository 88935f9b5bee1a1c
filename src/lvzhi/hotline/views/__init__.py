"""Pages of the hotline module, by concept."""
