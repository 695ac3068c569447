"""Page objects: what a user can do on a page, found by role, label and visible text only."""
