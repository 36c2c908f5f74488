"""Case documents: reading them, checking them against the case schema, normalizing them."""
