"""The employer part of a career-break request (guide 001)."""
