"""The pieces of the end-to-end harness: live server, axe audit, journey recorder, words."""
