"""R6: bad input never gives a 500 — every route of the route table, with odd values, garbage
forms (with a valid CSRF token, so that the handler itself sees them), and broken bodies."""

import re

import pytest

from app.demo import load_demo_data

ODD_VALUES = ["", " ", "0", "-1", "99999999999999999999", "é" * 300, "<script>x</script>",
              "../../etc/passwd", "%00", "null", "true", "1e309", "🙂"]
ODD_PATH_VALUES = ["token", "xyz", "0", "..", "%2e%2e", "a" * 300]


def routes_of(app):
    for route in app.routes:
        for method in sorted(getattr(route, "methods", set()) - {"OPTIONS", "HEAD"}):
            yield method, route.path


def concrete_paths(path: str) -> list[str]:
    if "{" not in path:
        return [path]
    return [re.sub(r"\{[^}]+\}", value, path) for value in ODD_PATH_VALUES]


@pytest.fixture
async def demo(database):
    await load_demo_data()


async def test_no_route_answers_500_to_odd_queries_and_forms(app, visitor, client, demo):
    from tests.test_identity import sign_in_with_mobile_app

    await sign_in_with_mobile_app(visitor, next_path="/")
    await visitor.page("/")
    token = visitor.csrf_token()
    failures = []
    for method, template in routes_of(app):
        if template.startswith("/tests/"):
            continue
        for path in concrete_paths(template):
            for value in ODD_VALUES:
                params = {"next": value, "niveau": value, "fait": value, "code": value,
                          "state": value, "iss": value, "error": value}
                if method == "GET":
                    response = await client.get(path, params=params)
                else:
                    form = {"_csrf_token": token, "username": value, "password": value,
                            "code": value, "pin": value, "identite": value, "next": value,
                            "current_password": value, "new_password": value,
                            "confirmation": value}
                    response = await client.request(method, path, data=form)
                if response.status_code >= 500:
                    failures.append((method, path, value, response.status_code))
    assert failures == []


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("application/x-www-form-urlencoded", b"%ZZ=%ZZ&&&=="),
        ("application/x-www-form-urlencoded", b"\xff\xfe\x00garbage"),
        ("multipart/form-data; boundary=x", b"--x\r\nbroken"),
        ("application/json", b"{not json"),
        ("text/plain", b"hello"),
    ],
)
async def test_broken_bodies_get_a_clear_answer(visitor, client, content_type, body, demo):
    await visitor.page("/identification/token/connexion")
    response = await client.post(
        "/identification/token/connexion", content=body,
        headers={"Content-Type": content_type, "X-CSRF-Token": visitor.csrf_token()},
    )
    assert 400 <= response.status_code < 500, response.status_code
