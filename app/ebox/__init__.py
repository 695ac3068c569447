"""The e-Box: the secure mailbox where the portal sends citizens and enterprises their documents."""
