"""The registry: the people and the organisations the portal knows (National Register, BCE/KBO)."""
