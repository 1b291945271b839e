"""Small query functions over one session. They raise backend.errors, never return None for
"not allowed": NotFound means "no such record you may see"."""
