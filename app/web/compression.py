"""Gzip for every text response (budget P6), in one call per response.

What Litestar's CompressionMiddleware does, for the responses Guichet sends: a body of at least
`MINIMUM_SIZE` bytes is compressed when the browser accepts gzip, with `Content-Encoding: gzip`, its new
`Content-Length` and `Vary: Accept-Encoding`; a streamed body is compressed chunk by chunk, each chunk
flushed so that it reaches the browser at once. The static files are excluded: they are served already
compressed (app/web/static.py). Litestar's middleware writes each body through a `GzipFile` into a
buffer, about 0.05 ms a page; a whole body here is one `gzip.compress` (a single C call).
"""

from __future__ import annotations

import gzip
import zlib

from litestar.types import ASGIApp, Message, Receive, Scope, Send

MINIMUM_SIZE = 512
# Level 1: pages stay far inside P1 (14 KB compressed); level 6 costs 0.5 ms more on "Mon dossier".
LEVEL = 1
_GZIP = b"gzip"


def accepts_gzip(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"accept-encoding":
            return _GZIP in value
    return False


def _compressed_headers(headers: list[tuple[bytes, bytes]], length: int | None) -> list[tuple[bytes, bytes]]:
    """The response's headers for a gzip body: its length (None: streamed, no length), and
    `Accept-Encoding` added to Vary."""
    result: list[tuple[bytes, bytes]] = []
    vary = b""
    for name, value in headers:
        lowered = name.lower()
        if lowered == b"content-length":
            continue
        if lowered == b"vary":
            vary = value
            continue
        result.append((name, value))
    result.append((b"content-encoding", _GZIP))
    if length is not None:
        result.append((b"content-length", str(length).encode()))
    result.append((b"vary", vary + b", Accept-Encoding" if vary else b"Accept-Encoding"))
    return result


class GzipMiddleware:
    """Compresses the responses of the routes, except those under `excluded_prefix`."""

    def __init__(self, app: ASGIApp, excluded_prefix: str) -> None:
        self.app = app
        self.excluded_prefix = excluded_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.excluded_prefix) or not accepts_gzip(scope):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        stream: zlib._Compress | None = None  # a streamed body's compressor
        passing = False  # the body is sent as it is

        async def send_compressed(message: Message) -> None:
            nonlocal start, stream, passing
            kind = message["type"]
            if kind == "http.response.start":
                start = message
                return
            if kind != "http.response.body" or passing:
                await send(message)
                return
            body = message.get("body", b"")
            more_body = message.get("more_body", False)
            if stream is not None:  # the next chunks of a streamed body
                message["body"] = stream.compress(body) + stream.flush(
                    zlib.Z_SYNC_FLUSH if more_body else zlib.Z_FINISH)
                await send(message)
                return
            assert start is not None
            encoded = any(name.lower() == b"content-encoding" for name, _ in start.get("headers", ()))
            if encoded or (not more_body and len(body) < MINIMUM_SIZE):
                passing = True
                await send(start)
                await send(message)
                return
            headers = list(start.get("headers", ()))
            if more_body:
                stream = zlib.compressobj(LEVEL, zlib.DEFLATED, 31)
                message["body"] = stream.compress(body) + stream.flush(zlib.Z_SYNC_FLUSH)
                start["headers"] = _compressed_headers(headers, None)
            else:
                message["body"] = gzip.compress(body, LEVEL, mtime=0)
                start["headers"] = _compressed_headers(headers, len(message["body"]))
            await send(start)
            await send(message)

        await self.app(scope, receive, send_compressed)
