"""Pages of generation, one module per page (home, create, results, media)."""
