"""The service's entry and "Mon dossier" (guide 000)."""

import pytest

from app.demo import load_demo_data
from app.rules.careerbreak import LeaveForm, LeaveKind
from tests.support.citizens import JAN, MARIE, request_for, sign_in
from tests.support.queries import count_queries


@pytest.fixture
async def demo(database):
    await load_demo_data()


async def test_the_service_asks_for_identification_at_level_substantial(client, demo):
    response = await client.get("/interruption-de-carriere/dossier")
    assert response.status_code == 303
    assert response.headers["location"] == "/identification?next=%2Finterruption-de-carriere%2Fdossier&niveau=2"


async def test_the_service_home_shows_the_menu_of_guide_000(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page("/interruption-de-carriere/")
    menu = page.find("nav", attrs={"aria-label": "Menu du service Interruption de carrière"})
    entries = [item.get_text(" ", strip=True) for item in menu.find_all("li")]
    assert entries[0] == "Mon dossier"
    assert entries[-1] == "Se déconnecter"
    # The menu says "Se déconnecter"; the header does not say it a second time.
    assert len([button for button in page.find_all("button") if button.get_text(strip=True) == "Se déconnecter"]) == 1


async def test_my_file_describes_each_request_as_the_guide_does(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page("/interruption-de-carriere/dossier")
    assert page.find("h1").get_text(strip=True) == "Mon dossier"
    text = page.find("main").get_text(" ", strip=True)
    assert ("La demande concerne un congé pour assistance médicale, interruption complète des prestations, "
            "du 02/04/2025 au 01/05/2025.") in text
    assert "La demande concerne un congé parental, réduction des prestations d'1/5, du 01/01/2024 au 31/10/2024." in text
    headings = [h2.get_text(" ", strip=True) for h2 in page.find("main").find_all("h2")]
    assert headings == [
        "Congé pour aidants proches – Les Tilleuls SRL",
        "Congé pour assistance médicale – Les Tilleuls SRL",
        "Congé parental – Les Tilleuls SRL",
    ]
    cancelled = page.find("main").find("section")
    timeline = [item.get_text(" ", strip=True) for item in cancelled.select("ol li")]
    assert timeline == ["15/07/2025 – Partie employeur introduite", "15/07/2025 – En attente de la partie du travailleur",
                        "28/07/2025 – Annulée"]


async def test_my_file_shows_only_the_citizens_own_requests(visitor, demo):
    await sign_in(visitor, JAN)
    _, page = await visitor.page("/interruption-de-carriere/dossier")
    assert [h2.get_text(" ", strip=True) for h2 in page.find("main").find_all("h2")] == [
        "Crédit-temps avec motif de soins – Logistique Delta SA"
    ]


async def test_my_file_is_translated(visitor, demo):
    await sign_in(visitor)
    await visitor.client.get("/langue/nl?next=/")
    _, page = await visitor.page("/interruption-de-carriere/dossier")
    assert page.find("h1").get_text(strip=True) == "Mijn dossier"


async def test_my_file_reads_twenty_requests_without_n_plus_one(visitor, demo, database):
    await sign_in(visitor)
    for _ in range(20):
        await request_for(MARIE, kind=LeaveKind.PARENTAL, form=LeaveForm.COMPLETE)
    with count_queries(database) as statements:
        _, page = await visitor.page("/interruption-de-carriere/dossier")
    assert len(page.select("section.request-card")) == 23
    assert len(statements) <= 3, statements  # the session, the requests, their histories
