"""The citizen's career-break service of ONEM (guide 000)."""
