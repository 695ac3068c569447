"""After the employer's part (guide 001, step 7): the request's PDF form in the worker's e-Box and in the
Consultation, the e-mail to the worker, the enterprise's e-Box, the notice of the worker's part, the
citizen's "Qui a consulté mon dossier ?", the audit trail without N+1, and the way in from the portal."""

import asyncio
import datetime
import json

import pyotp
import pytest

from app.audit.services import AuditAction, AuditEvent, record, record_many, verify_chain
from app.audit.tables import AuditRecord
from app.careerbreak.services import NewRequest, create_request, move_request
from app.careerbreak.tables import CareerBreakRequest
from app.demo import load_demo_data
from app.ebox.tables import EboxMessage
from app.employer.services import notify_enterprise_of_worker_part
from app.mail.tables import OutboxMessage
from app.registry.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, LES_TILLEULS
from app.registry.services import EnterpriseRecord, ensure_enterprise
from app.registry.tables import Enterprise
from app.rules.careerbreak import LeaveForm, LeaveKind
from app.rules.request_states import RequestState
from tests.support.citizens import JAN, LENA, MARIE, person_id, sign_in
from tests.support.queries import count_queries
from tests.test_employer import (
    BASE,
    KARIM,
    MARIE_NISS,
    REQUEST,
    SOPHIE,
    choose_worker,
    confirm,
    consultation_today,  # noqa: F401 - a fixture
    details_of,
    leave,
    reach_confirmation,
    start,
    text_of,
)

EBOX = f"{BASE}/ebox"
CONSULTATIONS = "/interruption-de-carriere/consultations"
JAN_NISS = "79110300589"
TILLEULS = "Les Tilleuls SRL (0412.345.614)"  # as the citizen's "Qui a consulté mon dossier ?" names it


@pytest.fixture
async def demo(database):
    await load_demo_data()


async def file_for_marie(visitor) -> int:
    """Sophie files the employer's part of Marie's request; returns the request's id."""
    await reach_confirmation(visitor)
    return int((await confirm(visitor)).rsplit("/", 1)[1])


async def file_for_jan(visitor) -> int:
    """Karim (Logistique Delta, 180 workers: the NISS typed) files Jan's request."""
    await start(visitor, KARIM)
    response = await choose_worker(visitor, JAN_NISS, committee="226")
    assert response.status_code == 303, response.text[:400]
    await visitor.page(f"{REQUEST}/type")
    await visitor.submit(f"{REQUEST}/type", {"type": "conge-parental"})
    await visitor.page(f"{REQUEST}/conge")
    response = await visitor.submit(f"{REQUEST}/conge", leave(end=datetime.date(2027, 3, 31)))
    assert response.headers["location"] == f"{REQUEST}/confirmation", response.text[:600]
    await visitor.page(f"{REQUEST}/confirmation")
    return int((await confirm(visitor)).rsplit("/", 1)[1])


async def tilleuls_id() -> int:
    return (await Enterprise.select(Enterprise.id).where(Enterprise.enterprise_number == "0412345614").first())["id"]


def about_request(request_id: int):
    """The e-Box documents about a career-break request (their subject)."""
    return (EboxMessage.subject_service == "careerbreak") & (EboxMessage.subject_id == request_id)


async def messages(**where) -> list[dict]:
    """The e-Box's documents, by column (`request=`: about that request), in the order they were sent."""
    query = EboxMessage.select(EboxMessage.public_id, EboxMessage.person, EboxMessage.enterprise,
                               EboxMessage.subject_service, EboxMessage.subject_id, EboxMessage.document_kind,
                               EboxMessage.title, EboxMessage.language, EboxMessage.pdf)
    for name, value in where.items():
        query = query.where(about_request(value) if name == "request" else getattr(EboxMessage, name) == value)
    return await query.order_by(EboxMessage.id)


def item_titled(page, title: str):
    """The item of the e-Box's list with this title."""
    items = [item for item in page.select(".message-list__item")
             if item.select_one(".message-list__title").get_text(" ", strip=True) == title]
    assert len(items) == 1, title
    return items[0]


def rows_of(page, selector: str = "#consultations tbody tr") -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])] for row in page.select(selector)]


async def consultations_seen_by(visitor, username: str) -> list[str]:
    """What the citizen's "Qui a consulté mon dossier ?" says was consulted, the newest first, each with
    the enterprise that consulted it; the visitor is signed in as the citizen from then on."""
    visitor.client.cookies.clear()
    await sign_in(visitor, username)
    _, page = await visitor.page(CONSULTATIONS)
    return [f"{who} : {what}" for _when, who, what in rows_of(page)]


# -- step 1: the enterprise's data are columns ---------------------------------------------------------


async def test_the_demo_fills_the_onss_number_and_the_address_and_stays_idempotent(database):
    # A row registered before the columns existed: no ONSS number, no address, one value set by hand.
    await Enterprise.insert(Enterprise(enterprise_number="0412345614", name="Les Tilleuls SRL",
                                       workers_under_contract=42, commission_paritaire="330", city="Namur (Jambes)"))
    await load_demo_data()
    row = await Enterprise.select().where(Enterprise.enterprise_number == "0412345614").first()
    assert (row["onss_number"], row["street"], row["postcode"], row["city"]) == (
        "1234567-89", "Rue des Tilleuls 12", "5000", "Namur (Jambes)")  # what was there is kept
    before = await Enterprise.select().order_by(Enterprise.id)
    await load_demo_data()
    assert await Enterprise.select().order_by(Enterprise.id) == before
    assert await ensure_enterprise(LES_TILLEULS) == row["id"]
    new = await ensure_enterprise(EnterpriseRecord("0202.239.951", "Sans adresse SA", False, 3, None))
    added = await Enterprise.select().where(Enterprise.id == new).first()
    assert added["onss_number"] is None and added["street"] is None


async def test_step_3_reads_the_enterprise_data_from_the_table(visitor, demo):
    await Enterprise.update({Enterprise.onss_number: "7654321-98", Enterprise.street: None}).where(
        Enterprise.enterprise_number == "0412345614")
    await sign_in(visitor, SOPHIE)
    _, page = await visitor.page(f"{REQUEST}/entreprise")
    rows = {row.find("dt").get_text(strip=True): row.find("dd").get_text(strip=True)
            for row in page.select("#enterprise-data .summary-list__row")}
    assert rows["Numéro ONSS"] == "7654321-98"
    assert rows["Adresse"] == "non communiqué"


# -- step 7: the form to the worker's e-Box, the e-mail, the acknowledgement -----------------------------


async def test_filing_sends_the_form_to_the_workers_ebox_saying_they_must_complete_it(visitor, client, demo):
    request_id = await file_for_marie(visitor)
    marie = await person_id(MARIE)
    sent = await messages(person=marie, request=request_id)
    assert [(m["document_kind"], m["language"], m["title"]) for m in sent] == [
        ("formulaire-employeur", "fr", "Demande de votre employeur : complétez votre partie")]
    assert bytes(sent[0]["pdf"]).startswith(b"%PDF-")

    client.cookies.clear()
    await sign_in(visitor, MARIE)
    _, ebox = await visitor.page("/ebox")
    link = ebox.find("a", string="Demande de votre employeur : complétez votre partie")
    assert link is not None
    _, twin = await visitor.page(link["href"])
    text = text_of(twin)
    assert ("Les Tilleuls SRL a introduit sa partie de votre demande le" in text
            and "Vous devez maintenant compléter votre partie dans le service en ligne Interruption de carrière, "
                "sous « Compléter une demande »." in text)
    assert "1234567-89" in text and "Rue des Tilleuls 12, 5000 Namur" in text  # the enterprise's data
    assert "Employé" in text and "330 – Commission paritaire des établissements et des services de santé" in text
    assert "02/11/2026" in text  # the date of the written notice
    ticket = (await CareerBreakRequest.select(CareerBreakRequest.employer_ticket).where(
        CareerBreakRequest.id == request_id).first())["employer_ticket"]
    assert ticket in text


async def test_filing_emails_the_worker_in_their_language_with_the_link_to_complete(visitor, demo):
    request_id = await file_for_marie(visitor)
    mails = await OutboxMessage.select()
    assert [mail["recipient"] for mail in mails] == ["marie.dubois@example.be"]
    mail = mails[0]
    assert mail["subject"] == "Votre employeur a introduit une demande : complétez votre partie"
    assert "Bonjour Marie Dubois," in mail["body"]
    assert "Les Tilleuls SRL a introduit sa partie de votre demande auprès de l'ONEM." in mail["body"]
    assert "http://127.0.0.1/interruption-de-carriere/completer" in mail["body"]
    assert ("La demande concerne un congé pour assistance médicale, interruption complète des prestations, "
            "du 01/03/2027 au 31/03/2027.") in mail["body"]
    assert request_id


async def test_a_dutch_worker_gets_the_form_and_the_email_in_dutch(visitor, demo):
    request_id = await file_for_jan(visitor)
    sent = await messages(request=request_id)
    assert {m["language"] for m in sent} == {"nl"}
    worker_copy = [m for m in sent if m["person"] is not None][0]
    assert worker_copy["title"] == "Aanvraag van uw werkgever: vul uw gedeelte in"
    assert bytes(worker_copy["pdf"]).startswith(b"%PDF-")
    mail = (await OutboxMessage.select())[0]
    assert mail["recipient"] == "jan.peeters@example.be"
    assert mail["subject"] == "Uw werkgever heeft een aanvraag ingediend: vul uw gedeelte in"
    assert mail["body"].startswith("Beste Jan Peeters,")
    assert "Logistique Delta SA heeft zijn gedeelte van uw aanvraag bij de RVA ingediend." in mail["body"]
    assert "/interruption-de-carriere/completer" in mail["body"]


async def test_no_email_when_the_workers_address_is_not_known(visitor, demo):
    from app.registry.tables import Person

    await Person.update({Person.email: None}).where(Person.username == MARIE)
    request_id = await file_for_marie(visitor)
    assert await OutboxMessage.count() == 0
    assert len(await messages(request=request_id)) == 2  # the e-Box copies go all the same


async def test_filing_acknowledges_to_the_enterprises_ebox(visitor, demo):
    request_id = await file_for_marie(visitor)
    acknowledged = await messages(enterprise=await tilleuls_id(), request=request_id)
    assert [(m["document_kind"], m["title"]) for m in acknowledged] == [
        ("accuse-partie-employeur", "Accusé de réception de la partie employeur – Marie Dubois")]
    _, page = await visitor.page(EBOX)
    titles = [h2.get_text(" ", strip=True) for h2 in page.select(".message-list__title")]
    assert titles == ["Accusé de réception de la partie employeur – Marie Dubois",
                      "Décision de l'ONEM – Marie Dubois"]  # the demo's decided parental leave
    assert "Non lu" in page.select(".message-list__item")[0].get_text(" ", strip=True)


async def test_a_document_that_cannot_be_made_does_not_undo_the_filing(visitor, demo, monkeypatch):
    import app.ebox.services

    async def broken(html, base_url=None):
        raise OSError("no fonts")

    monkeypatch.setattr(app.ebox.services, "render_pdf", broken)
    request_id = await file_for_marie(visitor)  # 303 to the sent page, as usual
    _, page = await visitor.page(f"{REQUEST}/envoyee/{request_id}")
    assert page.find("h1").get_text(strip=True) == "Demande envoyée"
    assert await EboxMessage.count().where(about_request(request_id)) == 0
    assert await OutboxMessage.count() == 1  # the e-mail went all the same


async def test_r1_five_identical_confirmations_send_each_document_once(visitor, client, demo):
    _, page = await reach_confirmation(visitor)
    key = page.find("input", attrs={"name": "cle"})["value"]
    data = {"_csrf_token": visitor.csrf_token(), "cle": key, "certification": "oui", "action": "confirmer"}
    responses = await asyncio.gather(*(client.post(f"{REQUEST}/confirmation", data=data) for _ in range(5)))
    assert [response.status_code for response in responses] == [303] * 5
    request_id = int(responses[0].headers["location"].rsplit("/", 1)[1])
    kinds = sorted(m["document_kind"] for m in await messages(request=request_id))
    assert kinds == ["accuse-partie-employeur", "formulaire-employeur"]
    assert await OutboxMessage.count() == 1
    again = await client.post(f"{REQUEST}/confirmation", data=data)  # later, the same form again
    assert again.status_code == 303
    assert await EboxMessage.count().where(about_request(request_id)) == 2
    assert await OutboxMessage.count() == 1


# -- Consultation: each request with its PDF ------------------------------------------------------------


async def test_the_consultation_gives_the_form_filed_as_a_pdf(visitor, demo):
    request_id = await file_for_marie(visitor)
    _, page = await visitor.page(f"{BASE}/consultation/{request_id}")
    link = page.find("a", string="Télécharger le formulaire de la demande (PDF)")
    response = await visitor.client.get(link["href"])
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith('attachment; filename="formulaire-')
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "no-store" in response.headers["cache-control"]
    stored = (await messages(enterprise=await tilleuls_id(), request=request_id))[0]
    assert response.content == bytes(stored["pdf"])  # the copy the enterprise received
    last = (await AuditRecord.select().order_by(AuditRecord.sequence, ascending=False).first())
    assert (last["subject"], json.loads(last["details"]) if isinstance(last["details"], str) else last["details"]) == (
        MARIE_NISS, {"enterprise": "0412345614", "what": "formulaire", "request": request_id})


async def test_a_request_filed_before_forms_were_kept_gets_its_form_drawn_now(visitor, demo, consultation_today):
    await sign_in(visitor, SOPHIE)
    _, page = await visitor.page(f"{BASE}/consultation")
    links = [a["href"] for a in page.select("#results tbody a") if a["href"].endswith("/formulaire.pdf")]
    assert len(links) == 3  # one per request of the list
    response = await visitor.client.get(links[-1])  # a demo request: no form was stored
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


async def test_s6_another_enterprises_form_is_not_found(visitor, client, demo):
    request_id = await file_for_marie(visitor)
    path = f"{BASE}/consultation/{request_id}/formulaire.pdf"
    assert (await client.get(path)).status_code == 200
    client.cookies.clear()
    await sign_in(visitor, KARIM)
    assert (await client.get(path)).status_code == 404
    assert (await client.get(f"{BASE}/consultation/999999/formulaire.pdf")).status_code == 404
    client.cookies.clear()
    await sign_in(visitor, MARIE)  # the worker herself is no personnel officer
    assert (await client.get(path)).status_code == 403


# -- the enterprise's e-Box -------------------------------------------------------------------------------


async def test_the_enterprise_ebox_shows_the_document_and_its_pdf_and_marks_it_read(visitor, demo):
    request_id = await file_for_marie(visitor)
    _, page = await visitor.page(EBOX)
    nav = page.find("nav", class_="service-menu")
    assert nav.find("a", attrs={"aria-current": "page"}).get_text(strip=True) == "e-Box de l'entreprise"
    title = page.select_one(".message-list__title a")
    assert title["lang"] == "fr"
    _, twin = await visitor.page(title["href"])
    assert twin.find("h1").get_text(strip=True) == "Accusé de réception de la partie employeur – Marie Dubois"
    text = text_of(twin)
    assert "L'ONEM a reçu la partie employeur de cette demande le" in text
    assert "Le travailleur doit maintenant compléter sa partie de la demande. Veuillez l'en avertir." in text
    pdf = await visitor.client.get(twin.find("a", string="Télécharger le PDF")["href"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-disposition"].startswith('attachment; filename="accuse-partie-employeur-')
    assert pdf.headers["x-content-type-options"] == "nosniff" and "no-store" in pdf.headers["cache-control"]
    _, page = await visitor.page(EBOX)
    assert item_titled(page, title.get_text(strip=True)).find("p").find("strong").get_text(strip=True) == "Lu"
    # "Marquer comme non lu", without JavaScript: back to the list, which says so.
    response = await visitor.submit(f"{title['href']}/non-lu", {})
    assert response.status_code == 303 and response.headers["location"] == EBOX
    _, page = await visitor.page(response.headers["location"])
    assert "Le document est marqué comme non lu." in page.find(id="status-message").get_text(" ", strip=True)
    assert page.select(".message-list__item")[0].find("p").find("strong").get_text(strip=True) == "Non lu"
    assert item_titled(page, title.get_text(strip=True)) is page.select(".message-list__item")[0]
    assert request_id


async def test_the_enterprise_marks_a_document_read_or_unread_as_the_citizen_does(visitor, demo):
    await sign_in(visitor, SOPHIE)
    _, page = await visitor.page(EBOX)
    item = page.select_one(".message-list__item")  # the demo's notice of ONEM's decision
    public_id = item["id"].removeprefix("message-")
    form = item.find("form")
    assert form["action"] == form["hx-post"] == f"{EBOX}/{public_id}/lu"
    assert form["hx-target"] == f"#message-{public_id}" and form["hx-swap"] == "outerHTML"
    assert form.find("button").get_text(" ", strip=True) == "Marquer comme lu : Décision de l'ONEM – Marie Dubois"
    audited = await AuditRecord.count()
    _, fragment = await visitor.fragment(form["hx-post"], method="POST", data={"_csrf_token": visitor.csrf_token()})
    row = fragment.find("li", id=f"message-{public_id}")
    assert row.find("p").find("strong").get_text(strip=True) == "Lu"
    assert row.find("form")["action"] == f"{EBOX}/{public_id}/non-lu"
    announcement = fragment.find(attrs={"hx-swap-oob": "innerHTML:#status-message"})
    assert announcement.get_text(" ", strip=True).endswith("Le document est marqué comme lu.")
    assert await AuditRecord.count() == audited  # marking is not reading: no consultation of a file
    response = await visitor.submit(f"{EBOX}/{public_id}/non-lu", {})  # without JavaScript
    assert response.status_code == 303 and response.headers["location"] == EBOX
    response = await visitor.submit(f"{EBOX}/{public_id}/lu", {})
    assert response.headers["location"] == EBOX
    _, page = await visitor.page(response.headers["location"])
    assert "Le document est marqué comme lu." in page.find(id="status-message").get_text(" ", strip=True)
    assert page.select_one(".message-list__item").find("p").find("strong").get_text(strip=True) == "Lu"


async def test_the_enterprise_ebox_lists_unread_first_and_pages_with_a_keyset(visitor, demo):
    tilleuls = await tilleuls_id()
    await EboxMessage.delete().where(EboxMessage.enterprise == tilleuls)  # the demo's decision notice
    for number in range(23):
        await EboxMessage.insert(EboxMessage(
            public_id=f"doc{number:02d}", enterprise=tilleuls, document_kind="accuse-partie-employeur",
            title=f"Document {number:02d}", language="fr", template="pdf/employer_request.html", context={},
            pdf=b"%PDF-1.7", pdf_size=8,
            read_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc) if number % 2 else None))
    await sign_in(visitor, SOPHIE)
    _, first = await visitor.page(EBOX)
    titles = [a.get_text(strip=True) for a in first.select(".message-list__title a")]
    unread = [f"Document {n:02d}" for n in range(22, -1, -2)]  # 12 unread, the newest first
    read = [f"Document {n:02d}" for n in range(21, 0, -2)]
    assert titles == (unread + read)[:20]
    assert first.find("a", rel="prev") is None
    _, second = await visitor.page(first.find("a", rel="next")["href"])
    assert [a.get_text(strip=True) for a in second.select(".message-list__title a")] == (unread + read)[20:]
    assert second.find("a", rel="next") is None
    _, back = await visitor.page(second.find("a", rel="prev")["href"])
    assert [a.get_text(strip=True) for a in back.select(".message-list__title a")] == titles
    await visitor.page(f"{EBOX}?apres=n1", status=200)  # past the end: a way back, no error
    await visitor.page(f"{EBOX}?apres=zz&avant=n99999999999", status=200)  # not a place in the list: the first page
    await visitor.page(f"{EBOX}?avant=%00", status=400)  # NUL: refused at the door (app/web/input_guard.py)


async def test_s6_another_enterprises_ebox_document_is_not_found(visitor, client, demo):
    await file_for_marie(visitor)
    public_id = (await messages(enterprise=await tilleuls_id()))[0]["public_id"]
    marie_copy = (await messages(person=await person_id(MARIE)))[-1]["public_id"]
    client.cookies.clear()
    await sign_in(visitor, KARIM)
    _, page = await visitor.page(EBOX)
    assert "Marie Dubois" not in text_of(page)
    for target in (public_id, marie_copy, "inconnu"):
        await visitor.page(f"{EBOX}/{target}", status=404)
        assert (await client.get(f"{EBOX}/{target}/pdf")).status_code == 404
        assert (await visitor.submit(f"{EBOX}/{target}/non-lu", {})).status_code == 404
    assert (await EboxMessage.select(EboxMessage.read_at).where(EboxMessage.public_id == public_id).first())[
        "read_at"] is None
    client.cookies.clear()
    await sign_in(visitor, MARIE)
    assert (await client.get(f"{EBOX}/{public_id}")).status_code == 403
    assert (await client.get(f"/ebox/{public_id}")).status_code == 404  # the citizen's e-Box: not hers


async def test_the_enterprise_is_told_when_the_worker_sends_their_part(visitor, demo):
    request_id = await file_for_marie(visitor)
    await notify_enterprise_of_worker_part(request_id)  # not sent yet: nothing to tell
    assert [m["document_kind"] for m in await messages(enterprise=await tilleuls_id(), request=request_id)] == [
        "accuse-partie-employeur"]
    await move_request(request_id, 1, RequestState.WORKER_PART_SENT, event_ticket="W7K-3PQ-8ZT",
                       ticket_number="W7K-3PQ-8ZT",
                       worker_part={"household": "cohabitant", "iban": "BE68539007547034"},
                       subject_name="Paul Dubois")
    await notify_enterprise_of_worker_part(request_id)
    notices = await messages(enterprise=await tilleuls_id(), document_kind="partie-travailleur-envoyee")
    assert [m["title"] for m in notices] == ["Partie du travailleur complétée – Marie Dubois"]
    _, page = await visitor.page(EBOX)
    assert page.select(".message-list__title a")[0].get_text(strip=True) == \
        "Partie du travailleur complétée – Marie Dubois"
    _, twin = await visitor.page(page.select(".message-list__title a")[0]["href"])
    text = text_of(twin)
    assert "Marie Dubois a complété et envoyé sa partie de la demande le" in text
    assert "W7K-3PQ-8ZT" in text
    assert "BE68" not in text and "Paul Dubois" not in text and "Cohabitant" not in text  # the worker's answers
    # Sophie's Consultation shows the new state.
    _, page = await visitor.page(f"{BASE}/consultation/{request_id}")
    assert "Partie du travailleur envoyée" in text_of(page)


async def test_the_worker_part_notice_never_raises(demo):
    before = await EboxMessage.count()
    await notify_enterprise_of_worker_part(987654)  # an unknown request: nothing, no error
    assert await EboxMessage.count() == before


# -- Qui a consulté mon dossier ? (S9) -------------------------------------------------------------------


async def test_the_citizen_sees_which_enterprise_consulted_their_file(visitor, client, demo):
    request_id = await file_for_marie(visitor)  # step 6 read Marie's history
    await visitor.page(f"{BASE}/consultation")  # the list: Marie and Lena
    await visitor.page(f"{BASE}/consultation/{request_id}")  # the detail
    client.cookies.clear()
    await sign_in(visitor, MARIE)
    _, dossier = await visitor.page("/interruption-de-carriere/dossier")
    link = dossier.find("a", string="Qui a consulté mon dossier ?")
    assert link["href"] == CONSULTATIONS
    _, page = await visitor.page(link["href"])
    assert page.find("h1").get_text(strip=True) == "Qui a consulté mon dossier ?"
    rows = rows_of(page)
    assert [row[1:] for row in rows] == [
        ["Les Tilleuls SRL (0412.345.614)", "Le détail d'une demande et son historique"],
        ["Les Tilleuls SRL (0412.345.614)", "La liste de vos demandes (Consultation)"],
        ["Les Tilleuls SRL (0412.345.614)", "Vos congés déjà pris, pour vérifier les maximums d'une nouvelle demande"],
    ]
    from app.ebox.services import belgian_date, utcnow

    today = belgian_date(utcnow())
    assert page.find("time")["datetime"].startswith(today.isoformat())
    assert rows[0][0].startswith(today.strftime("%d/%m/%Y"))


async def test_the_citizen_sees_that_the_enterprise_read_a_document_of_its_ebox_about_her(visitor, demo):
    request_id = await file_for_marie(visitor)  # step 6 read Marie's history
    _, page = await visitor.page(EBOX)
    title = item_titled(page, "Accusé de réception de la partie employeur – Marie Dubois")
    _, twin = await visitor.page(title.find("a")["href"])
    assert "88.04.12-002.59" in text_of(twin)  # what makes it a consultation of her file
    pdf = await visitor.client.get(twin.find("a", string="Télécharger le PDF")["href"])
    assert pdf.status_code == 200
    # A document about no request, or about another service's subject, names no worker: it opens, and
    # consults nobody's file.
    await EboxMessage.insert(EboxMessage(
        public_id="sans-demande", enterprise=await tilleuls_id(), document_kind="information", title="Information",
        language="fr", template="pdf/employer_request.html", context={}, pdf=b"%PDF-1.7", pdf_size=8))
    await EboxMessage.insert(EboxMessage(
        public_id="autre-service", enterprise=await tilleuls_id(), subject_service="autre", subject_id=request_id,
        document_kind="information", title="Information", language="fr", template="pdf/employer_request.html",
        context={}, pdf=b"%PDF-1.7", pdf_size=8))
    audited = await AuditRecord.count()
    for public_id in ("sans-demande", "autre-service"):
        assert (await visitor.client.get(f"{EBOX}/{public_id}/pdf")).status_code == 200
    assert await AuditRecord.count() == audited
    assert await consultations_seen_by(visitor, MARIE) == [
        f"{TILLEULS} : Le PDF d'un document de l'e-Box de l'entreprise sur une de vos demandes",
        f"{TILLEULS} : Un document de l'e-Box de l'entreprise sur une de vos demandes",
        f"{TILLEULS} : Vos congés déjà pris, pour vérifier les maximums d'une nouvelle demande",
    ]


async def test_the_citizen_sees_that_the_enterprise_saw_her_request_once_sent(visitor, demo):
    await reach_confirmation(visitor)
    sent = await confirm(visitor)
    _, page = await visitor.page(sent)
    assert "La partie employeur de la demande de Marie Dubois est envoyée." in text_of(page)
    request_id = int(sent.rsplit("/", 1)[1])
    last = await AuditRecord.select().order_by(AuditRecord.sequence, ascending=False).first()
    assert (last["subject"], details_of(last)) == (
        MARIE_NISS, {"enterprise": "0412345614", "what": "envoyee", "request": request_id})
    assert await consultations_seen_by(visitor, MARIE) == [
        f"{TILLEULS} : Le récapitulatif d'une demande, à son envoi",
        f"{TILLEULS} : Vos congés déjà pris, pour vérifier les maximums d'une nouvelle demande",
    ]


async def test_the_citizen_sees_that_the_enterprise_opened_her_worker_file(visitor, demo):
    await start(visitor, SOPHIE)
    await choose_worker(visitor)
    _, page = await visitor.page(f"{REQUEST}/dossier-travailleur")
    assert "88.04.12-002.59" in text_of(page)
    assert await consultations_seen_by(visitor, MARIE) == [
        f"{TILLEULS} : Vos données de travailleur, pour introduire une demande"]


async def test_every_worker_of_the_dimona_list_sees_that_the_enterprise_listed_them(visitor, demo):
    await start(visitor, SOPHIE)
    _, page = await visitor.page(f"{REQUEST}/travailleur/dimona")
    assert "Marie Dubois – 88.04.12-002.59" in text_of(page) and "Lena Schmitt – 01.09.17-022.66" in text_of(page)
    # A wrong pick shows the list again: listed again.
    response = await visitor.submit(f"{REQUEST}/travailleur/dimona", {"travailleur": JAN_NISS})
    assert response.status_code == 422 and "Lena Schmitt – 01.09.17-022.66" in response.text
    listed = f"{TILLEULS} : Votre nom et votre numéro de registre national, dans le fichier du personnel (Dimona)"
    assert await consultations_seen_by(visitor, MARIE) == [listed, listed]
    assert await consultations_seen_by(visitor, LENA) == [listed, listed]
    assert await consultations_seen_by(visitor, JAN) == []  # a worker of another enterprise


async def test_the_citizen_sees_only_the_consultations_of_their_own_file(visitor, client, demo, consultation_today):
    await sign_in(visitor, SOPHIE)
    await visitor.page(f"{BASE}/consultation?travailleur=Lena")  # only Lena's file
    client.cookies.clear()
    await sign_in(visitor, MARIE)
    _, page = await visitor.page(CONSULTATIONS)
    assert rows_of(page) == []
    assert "Aucun employeur n'a consulté votre dossier." in text_of(page)
    client.cookies.clear()
    await sign_in(visitor, LENA)
    _, page = await visitor.page(CONSULTATIONS)
    assert len(rows_of(page)) == 1


async def test_the_citizens_own_readings_are_not_listed(visitor, demo):
    await record(AuditAction.FILE_ACCESS, actor=MARIE_NISS, subject=MARIE_NISS, source="192.0.2.1",
                 outcome="success", details={"what": "dossier"})
    await sign_in(visitor, MARIE)
    _, page = await visitor.page(CONSULTATIONS)
    assert rows_of(page) == []


async def test_the_consultation_log_pages_with_a_keyset_and_asks_for_identification(visitor, client, demo):
    events = [AuditEvent(AuditAction.FILE_ACCESS, actor="83022101446", subject=MARIE_NISS, source="192.0.2.1",
                         outcome="success", details={"enterprise": "0412345614", "what": "demande", "request": n})
              for n in range(25)]
    await record_many(events)
    response = await client.get(CONSULTATIONS)
    assert response.status_code == 303 and response.headers["location"].startswith("/identification")
    await sign_in(visitor, MARIE)
    _, first = await visitor.page(CONSULTATIONS)
    assert len(rows_of(first)) == 20
    _, second = await visitor.page(first.find("a", rel="next")["href"])
    assert len(rows_of(second)) == 5 and second.find("a", rel="next") is None
    _, back = await visitor.page(second.find("a", rel="prev")["href"])
    assert rows_of(back) == rows_of(first)
    _, beyond = await visitor.page(f"{CONSULTATIONS}?apres=1")
    assert "Revenir à la consultation la plus récente" in text_of(beyond)
    for odd in ("-1", "x", "9" * 30, "%00"):
        assert (await client.get(CONSULTATIONS, params={"apres": odd, "avant": odd})).status_code == 200


# -- the audit trail without N+1 -----------------------------------------------------------------------


async def test_record_many_chains_its_records_with_the_others(database):
    await record(AuditAction.LOGIN, actor=MARIE_NISS, source="192.0.2.1", outcome="success")
    entries = await record_many(
        AuditEvent(AuditAction.FILE_ACCESS, actor="83022101446", subject=niss, source="192.0.2.2",
                   outcome="success", details={"what": "consultation"})
        for niss in (MARIE_NISS, JAN_NISS, "01091702266"))
    await record(AuditAction.LOGOUT, actor=MARIE_NISS, source="192.0.2.1", outcome="success")
    assert [entry.sequence for entry in entries] == [2, 3, 4]
    assert entries[1].previous_hash == entries[0].record_hash
    report = await verify_chain()
    assert report.intact and report.checked == 5
    assert await record_many([]) == []


async def test_record_many_checks_every_event_before_writing_any(database):
    with pytest.raises(ValueError):
        await record_many([
            AuditEvent(AuditAction.FILE_ACCESS, actor="a", subject=MARIE_NISS, source="s", outcome="success"),
            AuditEvent(AuditAction.FILE_ACCESS, actor="a", subject=MARIE_NISS, source="s", outcome="success",
                       details={"password": "x"}),
        ])
    assert await AuditRecord.count() == 0


async def test_record_many_and_record_at_once_keep_one_unbroken_chain(database):
    def batch(n):
        return [AuditEvent(AuditAction.FILE_ACCESS, actor=f"officer{n}", subject=f"{i:011d}", source="s",
                           outcome="success") for i in range(7)]

    await asyncio.gather(*(record_many(batch(n)) for n in range(10)),
                         *(record(AuditAction.LOGIN, actor=f"c{n}", source="s", outcome="success") for n in range(10)))
    report = await verify_chain()
    assert report.intact and report.checked == 80


async def test_record_many_costs_the_same_few_statements_for_3_or_60_records(database):
    def events(count):
        return [AuditEvent(AuditAction.FILE_ACCESS, actor="a", subject=f"{i:011d}", source="s", outcome="success")
                for i in range(count)]

    with count_queries(database) as few:
        await record_many(events(3))
    with count_queries(database) as many:
        await record_many(events(60))
    assert len(few) == len(many) <= 4
    assert (await verify_chain()).checked == 63


async def test_p6_the_consultation_list_costs_the_same_queries_for_2_or_20_workers(visitor, database,
                                                                                     consultation_today):
    await load_demo_data()
    await sign_in(visitor, SOPHIE)
    await visitor.page(f"{BASE}/consultation")  # warm: the session is touched on the first view
    with count_queries(database) as small:
        _, page = await visitor.page(f"{BASE}/consultation")
    assert len(page.select("#results tbody tr")) == 3
    tilleuls = await tilleuls_id()
    from app.registry.services import PersonRecord, ensure_employment, ensure_person

    for number in range(20):
        nine = f"8501{number:02d}001"
        niss = f"{nine}{97 - int(nine) % 97:02d}"
        worker = await ensure_person(PersonRecord(niss, f"Prénom{number}", "Travailleur", f"w{number}", "fr"))
        await ensure_employment(worker, tilleuls, "worker")
        await create_request(NewRequest(worker, tilleuls, LeaveKind.PARENTAL, LeaveForm.COMPLETE,
                                        datetime.date(2027, 1, 1), datetime.date(2027, 1, 31)))
    with count_queries(database) as large:
        _, page = await visitor.page(f"{BASE}/consultation")
    assert len(page.select("#results tbody tr")) == 20
    assert len(large) == len(small), (small, large)
    records = await AuditRecord.count().where(AuditRecord.action == AuditAction.FILE_ACCESS.value)
    assert records >= 2 + 20 + 2


# -- the way in from the portal (issue 5, "Entry") ---------------------------------------------------------


def link_by_text(page, text: str) -> str:
    links = [link for link in page.find("main").find_all("a", href=True) if link.get_text(" ", strip=True) == text]
    assert len(links) == 1, (text, [link.get_text(" ", strip=True) for link in page.find("main").find_all("a")])
    return links[0]["href"]


async def test_the_guides_path_leads_from_the_home_page_to_continuer(visitor, client, demo):
    """Home → Entreprise → plus de services en ligne → Dossier interruption de carrière et crédit-temps →
    Introduire une demande → identification → Continuer."""
    _, page = await visitor.page("/")
    _, page = await visitor.page(link_by_text(page, "Entreprise"))
    assert page.find("h1").get_text(strip=True) == "Entreprise"
    _, page = await visitor.page(link_by_text(page, "Plus de services en ligne"))
    assert page.find("h1").get_text(strip=True) == "Plus de services en ligne"
    _, page = await visitor.page(link_by_text(page, "Dossier interruption de carrière et crédit-temps"))
    assert page.find("h1").get_text(strip=True) == "Dossier interruption de carrière et crédit-temps"
    assert "Votre démarche précède celle de votre employé" in text_of(page)

    response = await client.get(link_by_text(page, "Introduire une demande"))
    assert response.status_code == 303
    assert response.headers["location"].startswith(
        "/identification?next=%2Fentreprise%2Finterruption-de-carriere%2Fdemande")
    await visitor.page(response.headers["location"])  # the choice of a key; then the key's steps
    await visitor.page("/identification/application-mobile/connexion")
    await visitor.submit("/identification/application-mobile/connexion",
                         {"username": SOPHIE, "password": DEMO_PASSWORD})
    await visitor.page("/identification/application-mobile/code")
    response = await visitor.submit("/identification/application-mobile/code",
                                    {"code": pyotp.TOTP(DEMO_TOTP_SECRET).now()})
    assert response.headers["location"] == REQUEST
    _, page = await visitor.page(REQUEST)
    assert [button.get_text(strip=True) for button in page.find("main").find_all("button")] == ["Continuer"]
    response = await visitor.submit(REQUEST, {"action": "continuer"})
    assert response.headers["location"] == f"{REQUEST}/entreprise"


async def test_the_way_in_speaks_dutch(visitor, client, demo):
    await client.get("/langue/nl?next=/")
    _, page = await visitor.page("/entreprise/services-en-ligne/dossier-interruption-de-carriere-et-credit-temps")
    assert page.find("html")["lang"] == "nl"
    assert "Dossier interruption" not in page.find("h1").get_text(strip=True)
