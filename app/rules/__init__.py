"""Pure domain rules: no Litestar, no Piccolo, no I/O."""
