"""The e-Box: documents as tagged PDF/UA and as accessible HTML pages with the same content, unread
first and paged, the read / unread toggle (page and htmx fragment), the subject a service gives a
document, and nobody else's documents (S6): not another citizen's, and the same screens mounted for
an enterprise (app/ebox/routes.py) never show a citizen an enterprise's document, nor the reverse."""

from __future__ import annotations

import asyncio
import datetime
import io
import re
from decimal import Decimal

import pypdf
import pytest

from app.careerbreak.documents import send_balance_attestation, send_decision_copy
from app.careerbreak.services import move_request
from app.db import transaction
from app.demo import load_demo_data
from app.ebox.pdf import is_local, write_pdf
from app.ebox.services import (
    Owner,
    Subject,
    document_environment,
    message_of,
    messages_page,
    speaking,
    storable,
)
from app.ebox.tables import EboxMessage
from app.rules.careerbreak import LeaveForm, LeaveKind
from app.rules.request_states import RequestState
from tests.support.citizens import JAN, LENA, MARIE, person_id, request_for, sign_in

DECISION_TITLE = "Copie de la décision de l'ONEM (C62)"


@pytest.fixture
async def demo(database):
    await load_demo_data()


async def marie_decision_id() -> str:
    row = await EboxMessage.select(EboxMessage.public_id).where(
        EboxMessage.person == await person_id(MARIE)
    ).first()
    return row["public_id"]


async def decided_request(username: str, **details) -> int:
    request_id = await request_for(username, **details)
    async with transaction():
        await move_request(request_id, 1, RequestState.WORKER_PART_SENT, ticket_number="TKT-" + username[:4].upper(),
                           subject_name="Sam Peeters", subject_birth_date=datetime.date(2020, 5, 4),
                           worker_part={"household": "cohabitant", "domicile_country": "BE"})
        await move_request(request_id, 2, RequestState.DECIDED, decided_on=datetime.date(2025, 6, 2))
    return request_id


async def marie_reads_her_first_document() -> bool:
    """Whether the first document of Marie's e-Box is read."""
    return not (await messages_page(Owner.person(await person_id(MARIE)))).messages[0].unread


def pdf_reader(content: bytes) -> pypdf.PdfReader:
    assert content.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(content))


def structure_tags(node) -> set[str]:
    """The tags of a PDF's structure tree (headings, paragraphs, tables, ...)."""
    node = node.get_object()
    tags = {node["/S"]} if "/S" in node else set()
    children = node.get("/K", [])
    for child in children if isinstance(children, list) else [children]:
        child = child.get_object() if hasattr(child, "get_object") else child
        if hasattr(child, "keys") and "/S" in child or hasattr(child, "keys") and "/K" in child:
            tags |= structure_tags(child)
    return tags


def words(text: str) -> list[str]:
    return sorted(re.findall(r"[\w@/.,:()'’«»-]+", text))


# ---------------------------------------------------------------------------------------------------
# The list


async def test_the_ebox_asks_for_identification(client, demo):
    response = await client.get("/ebox")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/identification?next=%2Febox")


async def test_the_header_links_to_the_ebox_once_signed_in(visitor, demo):
    _, page = await visitor.page("/")
    assert page.find("a", href="/ebox") is None
    await sign_in(visitor)
    _, page = await visitor.page("/mes-cles")
    assert page.find("a", href="/ebox").get_text(strip=True) == "e-Box"


async def test_marie_finds_the_copy_of_her_decision_unread(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page("/ebox")
    assert page.find("h1").get_text(strip=True) == "Mon e-Box"
    items = page.select("li.message-list__item")
    assert len(items) == 1
    text = items[0].get_text(" ", strip=True)
    assert items[0].find("h2").get_text(strip=True) == DECISION_TITLE
    assert text.startswith(f"{DECISION_TITLE} Non lu · Reçu le")
    assert re.search(r"PDF, \d+ Ko", text)
    assert items[0].find("button").get_text(" ", strip=True) == f"Marquer comme lu : {DECISION_TITLE}"


async def test_an_empty_ebox_says_so(visitor, demo):
    await sign_in(visitor, LENA)
    _, page = await visitor.page("/ebox")
    assert "Votre e-Box est vide" in page.find("main").get_text(" ", strip=True)


async def test_unread_documents_come_first_then_the_most_recent(visitor, demo):
    marie = await person_id(MARIE)
    await EboxMessage.delete(force=True)
    now = datetime.datetime.now(datetime.timezone.utc)
    for index, (title, days_ago, read) in enumerate([  # in the order they were sent
        ("Ancien lu", 40, True), ("Ancien non lu", 30, False), ("Moyen non lu", 10, False), ("Récent lu", 1, True),
    ]):
        await EboxMessage.insert(EboxMessage(
            public_id=f"order{index}", person=marie, document_kind="test", title=title, language="fr",
            template="pdf/decision_copy.html", context={}, pdf=b"%PDF-1.7", pdf_size=8,
            created_at=now - datetime.timedelta(days=days_ago),
            read_at=now if read else None,
        ))
    await sign_in(visitor)
    _, page = await visitor.page("/ebox")
    titles = [h2.get_text(strip=True) for h2 in page.select("li.message-list__item h2")]
    assert titles == ["Moyen non lu", "Ancien non lu", "Récent lu", "Ancien lu"]
    states = [item.find("p").find("strong").get_text(strip=True) for item in page.select("li.message-list__item")]
    assert states == ["Non lu", "Non lu", "Lu", "Lu"]


# ---------------------------------------------------------------------------------------------------
# The document: PDF and HTML twin


async def test_the_pdf_is_tagged_pdf_ua_with_the_documents_title_and_language(visitor, demo):
    await sign_in(visitor)
    public_id = await marie_decision_id()
    response = await visitor.client.get(f"/ebox/{public_id}/pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith('attachment; filename="decision-c62-')
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    reader = pdf_reader(response.content)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert root["/Lang"] == "fr"
    assert reader.metadata.title == DECISION_TITLE
    assert b'pdfuaid:part="1"' in reader.xmp_metadata.stream.get_data()
    tags = structure_tags(root["/StructTreeRoot"])
    assert {"/Document", "/H1", "/P", "/Table", "/Caption", "/TH", "/TD"} <= tags


async def test_the_html_twin_shows_the_same_content_as_the_pdf(visitor, demo):
    await sign_in(visitor)
    public_id = await marie_decision_id()
    _, page = await visitor.page(f"/ebox/{public_id}")
    article = page.find("article")
    assert article["lang"] == "fr"
    assert page.find("h1").get_text(strip=True) == DECISION_TITLE
    twin_text = article.get_text(" ", strip=True)
    assert ("La demande concerne un congé parental, réduction des prestations d'1/5, du 01/01/2024 "
            "au 31/10/2024.") in twin_text
    assert "L'ONEM a pris sa décision sur cette demande le 20/11/2023." in twin_text
    response = await visitor.client.get(f"/ebox/{public_id}/pdf")
    pdf_text = "\n".join(page.extract_text() for page in pdf_reader(response.content).pages)
    assert words(pdf_text) == words(twin_text)
    assert page.find("a", href=f"/ebox/{public_id}/pdf").get_text(strip=True) == "Télécharger le PDF"


async def test_a_document_is_rendered_in_its_language_whatever_the_page_language(visitor, demo):
    request_id = await decided_request(JAN, kind=LeaveKind.PARENTAL, form=LeaveForm.COMPLETE,
                                       start=datetime.date(2025, 3, 1), end=datetime.date(2025, 3, 31))
    public_id = await send_decision_copy(request_id)
    await sign_in(visitor, JAN)
    await visitor.client.get("/langue/fr?next=/")
    _, page = await visitor.page(f"/ebox/{public_id}")
    assert page.find("html")["lang"] == "fr"
    article = page.find("article")
    assert article["lang"] == "nl"
    assert article.find("h1").get_text(strip=True) == "Kopie van de beslissing van de RVA (C62)"
    assert "Ouderschapsverlof" in article.get_text(" ", strip=True)
    assert page.find("main").find("a", href="/ebox").get_text(strip=True) == "Retour à mon e-Box"
    reader = pdf_reader((await visitor.client.get(f"/ebox/{public_id}/pdf")).content)
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert reader.metadata.title == "Kopie van de beslissing van de RVA (C62)"


async def test_the_ebox_is_translated(visitor, demo):
    await sign_in(visitor)
    await visitor.client.get("/langue/nl?next=/")
    _, page = await visitor.page("/ebox")
    assert page.find("h1").get_text(strip=True) == "Mijn e-Box"
    assert page.select_one("li.message-list__item p strong").get_text(strip=True) == "Ongelezen"


# ---------------------------------------------------------------------------------------------------
# Read and unread


async def test_reading_marks_read_and_the_button_marks_unread_without_javascript(visitor, demo):
    await sign_in(visitor)
    public_id = await marie_decision_id()
    _, page = await visitor.page(f"/ebox/{public_id}")
    _, page = await visitor.page("/ebox")
    item = page.select_one("li.message-list__item")
    assert item.find("p").find("strong").get_text(strip=True) == "Lu"
    form = item.find("form")
    assert form["action"] == f"/ebox/{public_id}/non-lu"
    response = await visitor.submit(form["action"], {})
    assert response.status_code == 303
    assert response.headers["location"] == "/ebox"
    _, page = await visitor.page(response.headers["location"])
    assert page.find(id="status-message").get_text(" ", strip=True).endswith("Le document est marqué comme non lu.")
    _, again = await visitor.page("/ebox")  # said once (app/identity/flash.py)
    assert "marqué comme non lu" not in again.find(id="status-message").get_text()
    item = page.select_one("li.message-list__item")
    assert item.find("p").find("strong").get_text(strip=True) == "Non lu"
    assert item.find("form")["action"] == f"/ebox/{public_id}/lu"


async def test_the_htmx_toggle_swaps_the_row_and_announces_it(visitor, demo):
    await sign_in(visitor)
    public_id = await marie_decision_id()
    _, page = await visitor.page("/ebox")
    form = page.select_one("li.message-list__item form")
    assert form["hx-target"] == f"#message-{public_id}" and form["hx-swap"] == "outerHTML"
    response, fragment = await visitor.fragment(
        form["hx-post"], method="POST", data={"_csrf_token": visitor.csrf_token()}
    )
    item = fragment.find("li", id=f"message-{public_id}")
    assert item.find("p").find("strong").get_text(strip=True) == "Lu"
    assert item.find("button").get_text(" ", strip=True) == f"Marquer comme non lu : {DECISION_TITLE}"
    announcement = fragment.find(attrs={"hx-swap-oob": "innerHTML:#status-message"})
    assert announcement.get_text(" ", strip=True).endswith("Le document est marqué comme lu.")
    assert await marie_reads_her_first_document() is True
    response, fragment = await visitor.fragment(
        f"/ebox/{public_id}/non-lu", method="POST", data={"_csrf_token": visitor.csrf_token()}
    )
    assert fragment.find("li").find("p").find("strong").get_text(strip=True) == "Non lu"
    assert await marie_reads_her_first_document() is False


async def test_another_citizens_document_is_not_found_on_every_route(visitor, demo):
    public_id = await marie_decision_id()
    await sign_in(visitor, JAN)
    await visitor.page("/ebox")
    for path in (f"/ebox/{public_id}", f"/ebox/{public_id}/pdf", "/ebox/0123456789abcdef0123456789abcdef",
                 "/ebox/0123456789abcdef0123456789abcdef/pdf"):
        response = await visitor.client.get(path)
        assert response.status_code == 404, path
    for action in ("lu", "non-lu"):
        for target in (public_id, "0123456789abcdef0123456789abcdef"):
            response = await visitor.submit(f"/ebox/{target}/{action}", {})
            assert response.status_code == 404, (target, action)
    assert await marie_reads_her_first_document() is False  # Jan's visits changed nothing


# ---------------------------------------------------------------------------------------------------
# Sending


async def test_the_same_document_sent_twice_in_a_minute_is_kept_once(demo):
    marie = await person_id(MARIE)
    first = await send_balance_attestation(marie)
    again = await asyncio.gather(*(send_balance_attestation(marie) for _ in range(4)))
    assert set(again) == {first}
    kinds = await EboxMessage.select(EboxMessage.document_kind).where(EboxMessage.person == marie)
    assert sorted(row["document_kind"] for row in kinds) == ["attestation-break-at-work", "decision-c62"]


async def test_identical_documents_racing_each_other_are_stored_once(demo):
    marie = await person_id(MARIE)
    sent = await asyncio.gather(*(send_balance_attestation(marie) for _ in range(5)))
    assert len(set(sent)) == 1
    assert await EboxMessage.count().where(EboxMessage.document_kind == "attestation-break-at-work") == 1


def test_the_pdf_fetches_nothing_that_is_not_local():
    assert not is_local("https://example.com/font.woff2")
    assert not is_local("file:///etc/passwd")
    assert is_local("data:text/plain,x")
    html = ('<!DOCTYPE html><html lang="fr"><head><title>T</title>'
            '<link rel="stylesheet" href="https://example.com/x.css"></head>'
            '<body><h1>T</h1><img src="file:///etc/passwd" alt="refusé"></body></html>')
    reader = pdf_reader(write_pdf(html))
    assert "refusé" in reader.pages[0].extract_text()  # the image was not drawn: only its text remains


def test_documents_store_json_and_their_filters_read_it():
    context = storable({"day": datetime.date(2025, 4, 2), "amount": Decimal("978.24"),
                        "at": datetime.datetime(2025, 4, 2, 10, 30, tzinfo=datetime.timezone.utc)})
    assert context == {"day": "2025-04-02", "amount": "978.24", "at": "2025-04-02T10:30:00+00:00"}
    template = document_environment().from_string("{{ day | date }} · {{ at | date }} · {{ amount | amount }}")
    with speaking("fr"):
        assert template.render(**context) == "02/04/2025 · 02/04/2025 · 978,24\u00a0€"
    with speaking("de"):
        assert template.render(**context) == "02.04.2025 · 02.04.2025 · 978,24\u00a0€"
    with pytest.raises(TypeError):
        storable({"unknown": object()})


async def test_a_document_whose_page_cannot_be_rendered_still_offers_its_pdf(visitor, demo):
    marie = await person_id(MARIE)
    await EboxMessage.insert(EboxMessage(
        public_id="broken0context0000000000000000aa", person=marie, document_kind="decision-c62",
        title="Ancienne décision", language="fr", template="pdf/decision_copy.html", context={"person": {}},
        pdf=b"%PDF-1.7 old", pdf_size=12,
    ))
    await sign_in(visitor)
    _, page = await visitor.page("/ebox/broken0context0000000000000000aa")
    assert page.find("h1").get_text(strip=True) == "Ancienne décision"
    assert "Téléchargez-le en PDF" in page.find("main").get_text(" ", strip=True)
    assert page.find("a", href="/ebox/broken0context0000000000000000aa/pdf") is not None


# ---------------------------------------------------------------------------------------------------
# One e-Box, many owners: the citizen's and each organisation's (app/ebox/routes.py, ebox_controller)

SOPHIE = "sophie.laurent"  # personnel officer at Les Tilleuls SRL, and a citizen with her own e-Box
ENTERPRISE_EBOX = "/entreprise/interruption-de-carriere/ebox"
UNKNOWN = "0123456789abcdef0123456789abcdef"


async def tilleuls_decision_notice() -> str:
    """The demo's notice of ONEM's decision on Marie's request, in Les Tilleuls' e-Box."""
    row = await EboxMessage.select(EboxMessage.public_id).where(EboxMessage.enterprise.is_not_null()).first()
    return row["public_id"]


async def every_route_answers(visitor, base: str, public_id: str) -> set[int]:
    """The statuses of the document's page, its PDF and both toggles, at the e-Box mounted at `base`."""
    statuses = {(await visitor.client.get(f"{base}/{public_id}")).status_code,
                (await visitor.client.get(f"{base}/{public_id}/pdf")).status_code}
    for action in ("lu", "non-lu"):
        statuses.add((await visitor.submit(f"{base}/{public_id}/{action}", {})).status_code)
    return statuses


async def test_a_citizen_never_opens_an_enterprises_document_nor_an_enterprise_a_citizens(visitor, demo):
    enterprise_document, marie_document = await tilleuls_decision_notice(), await marie_decision_id()
    await sign_in(visitor, MARIE)
    _, page = await visitor.page("/ebox")
    assert f"/ebox/{enterprise_document}" not in str(page)
    assert await every_route_answers(visitor, "/ebox", enterprise_document) == {404}
    assert (await visitor.client.get(f"{ENTERPRISE_EBOX}/{marie_document}")).status_code == 403  # no officer
    visitor.client.cookies.clear()
    # Sophie is both: her own e-Box is not her enterprise's, and her enterprise's is not Marie's.
    await sign_in(visitor, SOPHIE)
    _, page = await visitor.page("/ebox")
    assert page.select("li.message-list__item") == []
    assert await every_route_answers(visitor, "/ebox", enterprise_document) == {404}
    _, page = await visitor.page(ENTERPRISE_EBOX)
    links = [a["href"] for a in page.select(".message-list__title a")]
    assert links == [f"{ENTERPRISE_EBOX}/{enterprise_document}"]
    assert await every_route_answers(visitor, ENTERPRISE_EBOX, marie_document) == {404}
    assert await every_route_answers(visitor, ENTERPRISE_EBOX, UNKNOWN) == {404}
    read = await EboxMessage.select(EboxMessage.read_at).where(EboxMessage.read_at.is_not_null())
    assert read == []  # none of these visits marked anything read


async def test_the_citizens_ebox_pages_with_a_keyset_as_the_enterprises(visitor, demo):
    marie = await person_id(MARIE)
    await EboxMessage.delete().where(EboxMessage.person == marie)
    for number in range(23):
        await EboxMessage.insert(EboxMessage(
            public_id=f"page{number:02d}", person=marie, document_kind="test", title=f"Document {number:02d}",
            language="fr", template="pdf/decision_copy.html", context={}, pdf=b"%PDF-1.7", pdf_size=8,
            read_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc) if number % 2 else None))
    await sign_in(visitor)
    _, first = await visitor.page("/ebox")
    titles = [h2.get_text(strip=True) for h2 in first.select("li.message-list__item h2")]
    expected = [f"Document {n:02d}" for n in range(22, -1, -2)] + [f"Document {n:02d}" for n in range(21, 0, -2)]
    assert titles == expected[:20] and first.find("a", rel="prev") is None
    _, second = await visitor.page(first.find("a", rel="next")["href"])
    assert [h2.get_text(strip=True) for h2 in second.select("li.message-list__item h2")] == expected[20:]
    _, back = await visitor.page(second.find("a", rel="prev")["href"])
    assert [h2.get_text(strip=True) for h2 in back.select("li.message-list__item h2")] == titles
    _, beyond = await visitor.page("/ebox?apres=l1")  # past the end: a way back
    assert beyond.find("main").find("a", href="/ebox").get_text(strip=True) == "Retour au début de l'e-Box"


async def test_a_document_keeps_the_subject_its_service_gave(demo):
    request_id = await decided_request(JAN, kind=LeaveKind.PARENTAL, form=LeaveForm.COMPLETE,
                                       start=datetime.date(2025, 3, 1), end=datetime.date(2025, 3, 31))
    public_id = await send_decision_copy(request_id)
    row = await EboxMessage.select(EboxMessage.subject_service, EboxMessage.subject_id).where(
        EboxMessage.public_id == public_id).first()
    assert row == {"subject_service": "careerbreak", "subject_id": request_id}
    page = await messages_page(Owner.person(await person_id(JAN)))
    assert [message.subject for message in page.messages] == [Subject("careerbreak", request_id)]
    attestation = await send_balance_attestation(await person_id(JAN))  # about no request
    assert (await message_of(Owner.person(await person_id(JAN)), attestation)).subject is None
