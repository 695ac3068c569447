"""Cross-cutting HTTP pieces: rendering, languages, security headers, static files, errors."""
