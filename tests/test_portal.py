"""The home page, the health check and the language switch."""

import gzip

from app.web.i18n import LANGUAGE_COOKIE


async def test_health_check_answers_ok_in_plain_text(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok"
    assert response.headers["content-type"].startswith("text/plain")


async def test_home_page_lists_the_three_audiences_of_the_portal(visitor):
    _, page = await visitor.page("/")
    assert page.find("h1").get_text(strip=True) == "Bienvenue sur le portail de la sécurité sociale"
    headings = [h2.get_text(strip=True) for h2 in page.find_all("h2")]
    assert headings == ["Citoyen", "Entreprise", "Fonctionnaires et autres professionnels"]


async def test_home_page_links_no_service_that_does_not_exist(visitor, client):
    _, page = await visitor.page("/")
    for link in page.find("main").find_all("a", href=True):
        response = await client.get(link["href"])
        assert response.status_code in (200, 303), link["href"]


async def test_home_page_fits_in_the_first_round_trip_compressed(client):
    """P1: every HTML page ≤ 14 KB compressed."""
    response = await client.get("/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    compressed = len(gzip.compress(response.content, compresslevel=6))
    assert compressed <= 14 * 1024, compressed


async def test_page_is_in_the_language_of_the_browser_at_first_visit(visitor):
    _, page = await visitor.page("/", headers={"Accept-Language": "de-BE,de;q=0.9,fr;q=0.5"})
    assert page.find("html")["lang"] == "de"


async def test_language_switch_comes_back_to_the_same_page(visitor, client):
    response = await client.get("/langue/nl", params={"next": "/?section=citoyen"})
    assert response.status_code == 303
    assert response.headers["location"] == "/?section=citoyen"
    assert client.cookies.get(LANGUAGE_COOKIE) == "nl"
    _, page = await visitor.page("/?section=citoyen")
    assert page.find("html")["lang"] == "nl"
    current = page.find("nav").find(attrs={"aria-current": "true"})
    assert current.get_text(strip=True) == "NL"


async def test_language_switch_links_keep_the_current_page(visitor):
    _, page = await visitor.page("/?a=1")
    targets = {link["hreflang"]: link["href"] for link in page.find("nav").find_all("a")}
    assert targets == {
        "nl": "/langue/nl?next=/%3Fa%3D1",
        "de": "/langue/de?next=/%3Fa%3D1",
        "en": "/langue/en?next=/%3Fa%3D1",
    }


async def test_language_switch_never_leaves_the_site(client):
    for hostile in ("//evil.example/", "https://evil.example/", "/\\evil.example", "evil"):
        response = await client.get("/langue/en", params={"next": hostile})
        assert response.status_code == 303
        assert response.headers["location"] == "/", hostile


async def test_unknown_language_is_not_found(client):
    response = await client.get("/langue/xx", params={"next": "/"})
    assert response.status_code == 404
    assert LANGUAGE_COOKIE not in client.cookies


async def test_home_page_runs_no_query(visitor, database):
    """P6: the public home page costs no database round trip."""
    from tests.support.queries import count_queries

    with count_queries(database) as statements:
        await visitor.page("/")
    assert statements == []


async def test_the_query_counter_sees_the_queries_of_a_page(database):
    from app.registry.tables import Person
    from tests.support.queries import count_queries

    with count_queries(database) as statements:
        await Person.count()
        await Person.select().where(Person.username == "marie.dubois")
    assert len(statements) == 2
