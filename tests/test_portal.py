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


# -- the way in to an online service (guide 000, "Se connecter") ----------------------------------


def link_by_text(page, text: str) -> str:
    """The address of the one link of <main> whose text is `text`, as a user finds it."""
    links = [link for link in page.find("main").find_all("a", href=True) if link.get_text(" ", strip=True) == text]
    assert len(links) == 1, (text, [link.get_text(" ", strip=True) for link in page.find("main").find_all("a")])
    return links[0]["href"]


async def test_the_guide_s_path_leads_from_the_home_page_to_the_identification(visitor, client):
    """Citoyen → Congés, crédit-temps et interruption de carrière → Interruption de carrière (at the
    bottom of the page) → Introduire une demande ou consulter le dossier → identification."""
    _, page = await visitor.page("/")
    _, page = await visitor.page(link_by_text(page, "Citoyen"))
    assert page.find("h1").get_text(strip=True) == "Citoyen"

    _, page = await visitor.page(link_by_text(page, "Congés, crédit-temps et interruption de carrière"))
    assert page.find("h1").get_text(strip=True) == "Congés, crédit-temps et interruption de carrière"
    sections = [h2.get_text(strip=True) for h2 in page.find("main").find_all("h2")]
    assert sections == ["Congés thématiques", "Crédit-temps", "Interruption de carrière"]

    _, page = await visitor.page(link_by_text(page, "Interruption de carrière"))
    assert page.find("h1").get_text(strip=True) == "Interruption de carrière"
    text = page.find("main").get_text(" ", strip=True)
    assert "Votre employeur introduit d'abord sa partie" in text
    assert "e-Box" in text

    response = await client.get(link_by_text(page, "Introduire une demande ou consulter le dossier"))
    assert response.status_code == 303
    assert response.headers["location"] == "/identification?next=%2Finterruption-de-carriere&niveau=2"
    _, page = await visitor.page(response.headers["location"])
    assert page.find("h1") is not None


async def test_the_way_in_is_translated(visitor, client):
    await client.get("/langue/nl?next=/")
    _, page = await visitor.page("/")
    _, page = await visitor.page(link_by_text(page, "Burger"))
    _, page = await visitor.page(link_by_text(page, "Verloven, tijdskrediet en loopbaanonderbreking"))
    _, page = await visitor.page(link_by_text(page, "Loopbaanonderbreking"))
    assert page.find("html")["lang"] == "nl"
    assert link_by_text(page, "Een aanvraag indienen of het dossier raadplegen") == "/interruption-de-carriere/"


async def test_audiences_without_themes_link_to_no_empty_page(visitor, client):
    _, page = await visitor.page("/")
    for key in ("professionnel",):  # "entreprise" has the employer's services (tests/test_employer_documents.py)
        section = page.find("section", attrs={"aria-labelledby": f"audience-{key}"})
        assert section.find("a") is None
        assert "Aucun service en ligne n'est encore ouvert dans cet espace." in section.get_text(" ", strip=True)
        assert (await client.get(f"/{key}")).status_code == 404


async def test_every_link_of_the_way_in_leads_somewhere(visitor, client):
    for path in ("/citoyen", "/citoyen/conges-credit-temps-et-interruption-de-carriere",
                 "/citoyen/conges-credit-temps-et-interruption-de-carriere/interruption-de-carriere"):
        _, page = await visitor.page(path)
        for link in page.find_all("a", href=True):
            if link["href"].startswith("/langue/") or link["href"].startswith("/identification"):
                continue
            response = await client.get(link["href"])
            assert response.status_code in (200, 303), (path, link["href"], response.status_code)


async def test_topics_without_an_online_service_have_no_page(visitor, client):
    _, page = await visitor.page("/citoyen/conges-credit-temps-et-interruption-de-carriere")
    for key in ("conges-thematiques", "credit-temps"):
        section = page.find("section", attrs={"aria-labelledby": f"topic-{key}"})
        assert section.find("a") is None
        response = await client.get(f"/citoyen/conges-credit-temps-et-interruption-de-carriere/{key}")
        assert response.status_code == 404


async def test_unknown_themes_and_topics_are_not_found(client):
    for path in ("/citoyen/inconnu", "/citoyen/inconnu/interruption-de-carriere",
                 "/citoyen/conges-credit-temps-et-interruption-de-carriere/inconnu"):
        assert (await client.get(path)).status_code == 404, path


def test_a_service_cannot_register_under_a_topic_that_does_not_exist():
    import pytest

    from app.portal.catalogue import OnlineService, register

    with pytest.raises(ValueError):
        register(OnlineService("citoyen", "conges-credit-temps-et-interruption-de-carriere", "inconnu",
                               "Service", "/service/"))
    with pytest.raises(ValueError):
        register(OnlineService("inconnu", "conges-credit-temps-et-interruption-de-carriere",
                               "interruption-de-carriere", "Service", "/service/"))


async def test_the_way_in_pages_run_no_query_and_fit_in_one_round_trip(visitor, client, database):
    """P6 and P1: public information pages cost no database round trip and ≤ 14 KB compressed."""
    from tests.support.queries import count_queries

    path = "/citoyen/conges-credit-temps-et-interruption-de-carriere/interruption-de-carriere"
    with count_queries(database) as statements:
        await visitor.page(path)
    assert statements == []
    response = await client.get(path)
    assert len(gzip.compress(response.content, compresslevel=6)) <= 14 * 1024
