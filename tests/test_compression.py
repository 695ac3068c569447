"""Gzip on every text response (budget P6): app/web/compression.py, through the app and alone."""

from __future__ import annotations

import gzip
import zlib

from app.web.compression import MINIMUM_SIZE, GzipMiddleware
from app.web.static import static_url


async def test_a_page_is_sent_compressed_to_a_browser_that_accepts_gzip(client):
    plain = await client.get("/", headers={"Accept-Encoding": "identity"})
    response = await client.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "content-encoding" not in plain.headers
    assert response.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["vary"] and "HX-Request" in response.headers["vary"]
    assert int(response.headers["content-length"]) < len(plain.content) / 2
    assert response.text == plain.text  # httpx decompressed it


async def test_a_small_answer_is_sent_as_it_is(client):
    response = await client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and len(response.content) < MINIMUM_SIZE
    assert "content-encoding" not in response.headers


async def test_a_static_file_is_not_compressed_twice(client):
    response = await client.get(static_url("css/app.css"), headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.text.lstrip().startswith((":root", "/*", "@", "*", "html"))


async def call(app, accept_encoding: bytes = b"gzip") -> tuple[dict, list[bytes]]:
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "path": "/page", "headers": [(b"accept-encoding", accept_encoding)]}
    await GzipMiddleware(app, excluded_prefix="/static/")(scope, receive, send)
    return sent[0], [message["body"] for message in sent[1:]]


def answering(*chunks: bytes, headers=()):
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/html"), (b"content-length", b"999"), *headers]})
        for index, chunk in enumerate(chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": index < len(chunks) - 1})

    return app


async def test_a_streamed_answer_is_compressed_chunk_by_chunk_and_each_chunk_can_be_read_at_once():
    first, second = b"<p>" + b"a" * 2000, b"b" * 2000 + b"</p>"
    start, bodies = await call(answering(first, second, headers=[(b"vary", b"HX-Request")]))
    headers = dict(start["headers"])
    assert headers[b"content-encoding"] == b"gzip" and b"content-length" not in headers
    assert headers[b"vary"] == b"HX-Request, Accept-Encoding"
    reader = zlib.decompressobj(31)
    assert reader.decompress(bodies[0]) == first  # flushed: the browser has the first chunk already
    assert reader.decompress(bodies[1]) == second and reader.eof


async def test_an_answer_already_encoded_or_to_a_browser_without_gzip_is_passed_on_unchanged():
    encoded = gzip.compress(b"x" * 5000)
    start, bodies = await call(answering(encoded, headers=[(b"content-encoding", b"gzip")]))
    assert bodies == [encoded]
    start, bodies = await call(answering(b"y" * 5000), accept_encoding=b"identity")
    assert bodies == [b"y" * 5000] and (b"content-encoding", b"gzip") not in start["headers"]
    start, bodies = await call(answering(b"z" * 5000))
    assert gzip.decompress(bodies[0]) == b"z" * 5000
    assert dict(start["headers"])[b"content-length"] == str(len(bodies[0])).encode()
