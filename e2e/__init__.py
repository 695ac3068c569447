"""Guichet's end-to-end journeys in a real Chromium (see conftest.py for how to write one)."""
