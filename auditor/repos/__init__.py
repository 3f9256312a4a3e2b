"""repos stage."""
