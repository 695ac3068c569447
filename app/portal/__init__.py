"""The portal itself: the home page with its catalogue of services, the health check, the language switch."""
