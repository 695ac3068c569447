"""S8 headers on every response, S2 CSRF and cross-site checks, error pages without stack traces."""

import re

import pytest
from litestar import get, post

from app.web.security import CONTENT_SECURITY_POLICY
from app.web.static import manifest, static_url

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@post("/tests/echo", sync_to_thread=False)
def echo_form() -> str:
    return "accepted"


@get("/tests/failure", sync_to_thread=False)
def failing_page() -> str:
    raise RuntimeError("secret internal detail")


@pytest.fixture(scope="module")
def test_routes(app):
    """Routes that exist only in these tests: an unsafe form target and a page that fails."""
    if not any(route.path == "/tests/echo" for route in app.routes):
        app.register(echo_form)
        app.register(failing_page)
    return app


def assert_security_headers(response):
    headers = response.headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert "cache-control" in headers


def test_content_security_policy_allows_no_inline_code_and_no_framing():
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("GET", "/", 200),
        ("GET", "/healthz", 200),
        ("GET", "/langue/nl?next=/", 303),
        ("GET", "/does-not-exist", 404),
        ("POST", "/", 405),
        ("GET", "/static/css/app.000000000000.css", 404),
        ("GET", "/tests/failure", 500),
    ],
)
async def test_every_response_carries_the_security_headers(client, test_routes, method, path, status):
    response = await client.request(method, path)
    assert response.status_code == status
    assert_security_headers(response)


async def test_static_files_carry_the_security_headers_and_are_immutable(client):
    response = await client.get(static_url("css/app.css"), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert_security_headers(response)
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["content-type"].startswith("text/css")


async def test_pages_with_possible_personal_data_are_never_stored(client):
    response = await client.get("/")
    assert response.headers["cache-control"] == "no-store"


async def test_a_stale_fingerprint_is_not_served(client):
    current = static_url("js/app.js")
    stale = current.rsplit(".", 2)[0] + ".ffffffffffff.js"
    assert (await client.get(current)).status_code == 200
    assert (await client.get(stale)).status_code == 404


def test_every_static_file_has_a_fingerprinted_name():
    files = manifest().files
    assert files, "static/ is empty"
    for name, static_file in files.items():
        digest = name.rsplit(".", 2)[-2]
        assert len(digest) == 12 and static_file.url.endswith(name)


async def test_unsafe_request_without_csrf_token_is_refused(client, test_routes):
    await client.get("/")  # the CSRF cookie
    response = await client.post("/tests/echo", data={"field": "value"})
    assert response.status_code == 403
    assert "Accès refusé" in response.text


async def test_unsafe_request_with_a_wrong_csrf_token_is_refused(client, test_routes):
    await client.get("/")
    response = await client.post("/tests/echo", data={"_csrf_token": "0" * 64})
    assert response.status_code == 403


async def test_unsafe_request_with_the_page_token_is_accepted(visitor, test_routes):
    await visitor.page("/")
    response = await visitor.submit("/tests/echo", {"field": "value"})
    assert response.status_code == 201
    assert response.text == "accepted"


async def test_cross_site_unsafe_request_is_refused_even_with_a_token(visitor, test_routes):
    await visitor.page("/")
    response = await visitor.submit(
        "/tests/echo", {"field": "value"}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert response.status_code == 403


def concrete(path: str) -> str:
    """A real address for a route's path: `{key:str}` becomes a key that exists."""
    return re.sub(r"\{[^}]+\}", "token", path)


@pytest.mark.parametrize("sent", [None, "0" * 64], ids=["missing", "wrong"])
async def test_every_unsafe_route_of_the_app_refuses_a_missing_or_wrong_token(visitor, client, test_routes, sent):
    """S2, from the route table: every unsafe route, today's and tomorrow's."""
    await visitor.page("/")
    unsafe = sorted(
        (method, route.path)
        for route in test_routes.routes
        for method in getattr(route, "methods", set())
        if method in UNSAFE_METHODS
    )
    assert ("POST", "/tests/echo") in unsafe and ("POST", "/deconnexion") in unsafe
    for method, path in unsafe:
        data = {"x": "y"} if sent is None else {"_csrf_token": sent, "x": "y"}
        response = await client.request(method, concrete(path), data=data)
        assert response.status_code == 403, (method, path, response.status_code)


async def test_server_error_shows_no_stack_trace_and_speaks_the_users_language(client, test_routes):
    response = await client.get("/tests/failure")
    assert response.status_code == 500
    assert "Désolé, un problème technique est survenu" in response.text
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text


async def test_not_found_page_is_a_whole_page_in_the_users_language(visitor, client):
    client.cookies.set("guichet_lang", "nl")
    _, page = await visitor.page("/does-not-exist", status=404)
    assert page.find("html")["lang"] == "nl"
    assert page.find("h1").get_text(strip=True) == "Pagina niet gevonden"
    assert "404" in page.find("main").get_text()


async def test_wrong_method_page_is_in_the_users_language(client):
    client.cookies.set("guichet_lang", "de")
    response = await client.post("/")
    assert response.status_code == 405
    assert '<html lang="de">' in response.text


async def test_an_htmx_request_that_fails_gets_a_fragment(visitor):
    _, fragment = await visitor.fragment("/does-not-exist", status=404)
    assert fragment.find("h1") is not None
