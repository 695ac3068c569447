"""Pièces jointes (guide 000, "Pièces jointes" and the end of "Compléter une demande"): the page,
upload → pending → "Appliquer les changements" → received, the trash and the undo arrow, the htmx
fragments and the no-JS redirects, the upload checks of S7, the download, S6 on every route, R1 and R3."""

import asyncio
import dataclasses
import gzip
import re

import pytest
from bs4 import BeautifulSoup

from app.audit.tables import AuditRecord
from app.careerbreak.attachments import services as attachment_services
from app.careerbreak.attachments.services import AUDIT_ACTION
from app.careerbreak.services import move_request
from app.careerbreak.tables import Attachment, CareerBreakRequest
from app.db import transaction
from app.demo import load_demo_data
from app.identity.sessions import SESSION_COOKIE, digest, session_store
from app.rules.careerbreak import LeaveForm, LeaveKind
from app.rules.request_states import RequestState
from app.web.uploads import MAX_FILE_BYTES
from tests.support.citizens import JAN, MARIE, request_for, sign_in
from tests.support.html import check_fragment
from tests.support.queries import count_queries

BASE = "/interruption-de-carriere/pieces-jointes"
MEDICAL = "attestation-medicale"
OTHER = "autre"
PDF = b"%PDF-1.7\n" + b"0" * 3000
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"1" * 3000
EMPTY_FILE = {"fichier": ("", b"", "application/octet-stream")}
HINT = ("Vous pouvez joindre un scan ou une photo lisible de chaque pièce jointe nécessaire à votre dossier "
        "sous forme d'un fichier de format PDF ou JPG d'une taille maximum de 2Mb.")
STALE = "La demande a été modifiée entre-temps"


@pytest.fixture
async def demo(database):
    await load_demo_data()


async def sent_request(username: str = MARIE, **kwargs) -> int:
    """A request whose worker's part was sent: the state "Pièces jointes" works on."""
    request_id = await request_for(username, **kwargs)
    async with transaction():
        await move_request(request_id, 1, RequestState.WORKER_PART_SENT)
    return request_id


async def set_session_data(client, **values) -> None:
    """What "Compléter une demande" does right after the citizen confirms."""
    store = session_store()
    state = await store.load(digest(client.cookies[SESSION_COOKIE]))
    assert await store.update(dataclasses.replace(state, data={**state.data, **values}))


async def version_of(request_id: int) -> int:
    return (await CareerBreakRequest.select(CareerBreakRequest.version).where(
        CareerBreakRequest.id == request_id).first())["version"]


async def stored(request_id: int) -> list[dict]:
    return await Attachment.select(Attachment.public_id, Attachment.filename, Attachment.received_at,
                                   Attachment.marked_for_removal).where(Attachment.request == request_id)


def row_of(page: BeautifulSoup, document_type: str):
    return page.find("li", id=f"ligne-{document_type}")


def text(element) -> str:
    return re.sub(r"\s+", " ", element.get_text(" ", strip=True))


def status_of(page: BeautifulSoup, document_type: str) -> str:
    return text(row_of(page, document_type).find(class_="attachment-row__status"))


def live_region(page: BeautifulSoup) -> str:
    return text(page.find(id="status-message"))


def button_names(element) -> list[str]:
    return [text(button) for button in element.find_all("button")]


def htmx(visitor) -> dict:
    return {"HX-Request": "true", "X-CSRF-Token": visitor.csrf_token()}


def gzipped_size(response) -> int:
    return len(gzip.compress(response.content))


async def upload(visitor, request_id: int, content: bytes = PDF, filename: str = "scan.pdf",
                 document_type: str = MEDICAL, headers: dict | None = None):
    """"Joindre le fichier", as the browser posts the form (multipart, the token in the form)."""
    return await visitor.client.post(
        f"{BASE}/{request_id}/documents",
        data={"_csrf_token": visitor.csrf_token(), "document_type": document_type},
        files={"fichier": (filename, content, "application/octet-stream")}, headers=headers or {},
    )


def apply_form(page: BeautifulSoup) -> dict:
    form = page.find("form", class_="attachment-upload")
    values = {field["name"]: field.get("value", "") for field in form.find_all("input", type="hidden")}
    values["document_type"] = form.find("select").find("option", selected=True)["value"]
    return values


async def apply(visitor, request_id: int, page: BeautifulSoup | None = None, files: dict | None = None,
                headers: dict | None = None):
    """"Appliquer les changements" with what `page` (by default the last one) showed."""
    return await visitor.client.post(f"{BASE}/{request_id}/appliquer", data=apply_form(page or visitor.last_page),
                                     files=files or EMPTY_FILE, headers=headers or {})


async def mark(visitor, request_id: int, public_id: str, remove: bool = True, headers: dict | None = None):
    return await visitor.client.post(
        f"{BASE}/{request_id}/documents/{public_id}/retirer",
        data={"_csrf_token": visitor.csrf_token(), "retirer": "oui" if remove else "non"}, headers=headers or {},
    )


# -- which requests ---------------------------------------------------------------------------------


async def test_the_menu_offers_pieces_jointes_after_annulation(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page("/interruption-de-carriere/")
    menu = page.find("nav", attrs={"aria-label": "Menu du service Interruption de carrière"})
    entries = [text(item) for item in menu.find_all("li")]
    assert "Pièces jointes" in entries
    assert menu.find("a", string="Pièces jointes")["href"] == BASE
    for before in ("Mon dossier", "Attestations", "Compléter une demande", "Annulation"):
        if before in entries:
            assert entries.index(before) < entries.index("Pièces jointes")
    if "Break@work" in entries:
        assert entries.index("Pièces jointes") < entries.index("Break@work")


async def test_the_first_screen_offers_the_sent_requests_that_need_a_mandatory_document(visitor, demo):
    medical = await sent_request(MARIE)
    await sent_request(MARIE, kind=LeaveKind.AIDANT_PROCHE)  # no mandatory document
    await request_for(MARIE)  # the worker's part is not sent yet
    await sent_request(JAN)  # another citizen's
    await sign_in(visitor)
    _, page = await visitor.page(BASE)
    assert page.find("h1").get_text(strip=True) == "Pièces jointes"
    fieldset = page.find("fieldset")
    assert text(fieldset.find("legend")) == ("Choisissez la demande pour laquelle vous souhaitez ajouter un document "
                                             "et cliquez sur « Suivant ».")
    radios = fieldset.find_all("input", type="radio")
    assert [radio["value"] for radio in radios] == [str(medical)]
    assert "La demande concerne un congé pour assistance médicale, interruption complète des prestations, " \
           "du 02/04/2025 au 01/05/2025." in text(fieldset)
    assert button_names(page.find("main")) == ["Suivant"]

    response = await visitor.submit(BASE, {"demande": str(medical)})
    assert response.status_code == 303
    assert response.headers["location"] == f"{BASE}/{medical}"


@pytest.mark.parametrize("choice", [None, "", "abc", "99999999999999999999", "other-citizen", "not-sent"])
async def test_no_request_chosen_gives_the_error_summary(visitor, demo, choice):
    await sent_request(MARIE)
    others = {"other-citizen": str(await sent_request(JAN)), "not-sent": str(await request_for(MARIE))}
    await sign_in(visitor)
    await visitor.page(BASE)
    response = await visitor.submit(BASE, {} if choice is None else {"demande": others.get(choice, choice)})
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    assert page.find("title").get_text().startswith("Erreur : Pièces jointes")
    summary = page.find(attrs={"data-error-summary": True})
    assert summary.find("a")["href"] == "#demande"
    assert "Choisissez la demande pour laquelle vous souhaitez ajouter un document." in text(summary)


async def test_without_such_a_request_the_first_screen_says_so(visitor, demo):
    await sign_in(visitor)
    _, page = await visitor.page(BASE)
    assert page.find("form", attrs={"action": BASE}) is None
    assert "Vous n'avez aucune demande à laquelle ajouter un document." in text(page.find("main"))


# -- the page of the guide --------------------------------------------------------------------------


async def test_the_page_shows_the_documents_as_the_guide_does(visitor, demo):
    request_id = await sent_request(MARIE)
    await sign_in(visitor)
    response, page = await visitor.page(f"{BASE}/{request_id}")
    assert response.headers["cache-control"] == "no-store"
    main = page.find("main")
    assert page.find("h1").get_text(strip=True) == "Pièces jointes"
    assert "Si ces données ne sont plus d'actualité, veuillez nous contacter." in text(main)
    assert ("La demande concerne un congé pour assistance médicale, interruption complète des prestations, "
            "du 02/04/2025 au 01/05/2025.") in text(main)
    assert [text(h2) for h2 in main.find_all("h2")] == ["Documents obligatoires", "Documents facultatifs",
                                                        "Ajouter un document"]
    mandatory = main.find("ul", attrs={"aria-labelledby": "documents-obligatoires"})
    assert [text(h3) for h3 in mandatory.find_all("h3")] == ["Attestation médicale * (obligatoire)"]
    assert status_of(page, MEDICAL) == "Pièce jointe non reçue"
    assert status_of(page, OTHER) == "Pièce jointe non reçue"
    assert main.find(id="fichier-hint").get_text(strip=True) == HINT
    assert main.find("label", attrs={"for": "fichier"}).get_text(strip=True) == "Choisir un fichier"
    assert main.find("input", id="fichier")["type"] == "file"
    options = [option.get_text(strip=True) for option in main.find("select", id="document_type").find_all("option")]
    assert options == ["Attestation médicale", "Attestation de composition de ménage", "Autre"]
    assert main.find("option", selected=True)["value"] == MEDICAL  # the mandatory document still missing
    assert button_names(main) == ["Joindre le fichier", "Appliquer les changements"]
    # The live region is on the page from the start, empty (A3).
    assert page.find(id="status-message")["role"] == "status"
    assert live_region(page) == ""
    assert page.find("nav", class_="service-menu").find("a", attrs={"aria-current": "page"})["href"] == BASE


async def test_upload_is_pending_until_the_changes_are_applied(visitor, demo):
    request_id = await sent_request(MARIE)
    await sign_in(visitor)
    await visitor.page(f"{BASE}/{request_id}")
    version = await version_of(request_id)

    response = await upload(visitor, request_id)
    assert response.status_code == 303
    assert response.headers["location"] == f"{BASE}/{request_id}"
    _, page = await visitor.page(f"{BASE}/{request_id}")
    assert status_of(page, MEDICAL) == "Pièce jointe non reçue"
    assert "À envoyer : scan.pdf (PDF, 3 Ko)" in text(row_of(page, MEDICAL))
    assert "Attestation médicale : le fichier scan.pdf est ajouté." in live_region(page)
    assert await version_of(request_id) == version + 1  # a change the citizen sees
    assert [row["received_at"] for row in await stored(request_id)] == [None]

    response = await apply(visitor, request_id)
    assert response.status_code == 303
    _, page = await visitor.page(f"{BASE}/{request_id}")
    assert "Changements effectués." in live_region(page)
    assert page.find(id="status-message").find(attrs={"data-focus-after-swap": True}) is not None
    row = row_of(page, MEDICAL)
    assert status_of(page, MEDICAL) == "Pièce jointe reçue"
    assert re.search(r"scan\.pdf \(PDF, 3 Ko, reçu le \d\d/\d\d/\d{4}\)", text(row))
    assert "À envoyer" not in text(row)
    public_id = (await stored(request_id))[0]["public_id"]
    assert row.find("a", string="scan.pdf")["href"] == f"{BASE}/{request_id}/documents/{public_id}"
    assert await version_of(request_id) == version + 2

    # The message is said once: a reload does not repeat it.
    _, page = await visitor.page(f"{BASE}/{request_id}")
    assert live_region(page) == ""
    assert status_of(page, MEDICAL) == "Pièce jointe reçue"


async def test_the_trash_becomes_an_undo_arrow_and_applying_removes_the_document(visitor, demo):
    request_id = await sent_request(MARIE)
    await sign_in(visitor)
    await visitor.page(f"{BASE}/{request_id}")
    await upload(visitor, request_id)
    await visitor.page(f"{BASE}/{request_id}")
    await apply(visitor, request_id)
    _, page = await visitor.page(f"{BASE}/{request_id}")
    row = row_of(page, MEDICAL)
    trash = row.find("button")
    assert text(trash) == "Supprimer Attestation médicale (scan.pdf)"
    assert trash.find("svg")["aria-hidden"] == "true"
    public_id = (await stored(request_id))[0]["public_id"]

    assert (await mark(visitor, request_id, public_id)).status_code == 303
    _, page = await visitor.page(f"{BASE}/{request_id}")
    assert button_names(row_of(page, MEDICAL)) == ["Annuler la suppression de Attestation médicale (scan.pdf)"]
    assert status_of(page, MEDICAL) == "Pièce jointe reçue"  # until the changes are applied
    assert "sera supprimé" in live_region(page)
    # The mark is kept on the server: a reload loses nothing.
    _, page = await visitor.page(f"{BASE}/{request_id}")
    assert button_names(row_of(page, MEDICAL)) == ["Annuler la suppression de Attestation médicale (scan.pdf)"]

    await mark(visitor, request_id, public_id, remove=False)
    _, page = await visitor.page(f"{BASE}/{request_id}")
    assert button_names(row_of(page, MEDICAL)) == ["Supprimer Attestation médicale (scan.pdf)"]
    assert "ne sera pas supprimé" in live_region(page)

    await mark(visitor, request_id, public_id)
    await visitor.page(f"{BASE}/{request_id}")
    assert (await apply(visitor, request_id)).status_code == 303
    _, page = await visitor.page(f"{BASE}/{request_id}")
    assert status_of(page, MEDICAL) == "Pièce jointe non reçue"
    assert row_of(page, MEDICAL).find("button") is None
    assert "Changements effectués." in live_region(page)
    assert await stored(request_id) == []


async def test_a_repeated_click_on_the_trash_does_not_undo_itself(visitor, demo):
    request_id = await sent_request(MARIE)
    await sign_in(visitor)
    await visitor.page(f"{BASE}/{request_id}")
    await upload(visitor, request_id)
    public_id = (await stored(request_id))[0]["public_id"]
    await mark(visitor, request_id, public_id)
    version = await version_of(request_id)
    await mark(visitor, request_id, public_id)
    assert [row["marked_for_removal"] for row in await stored(request_id)] == [True]
    assert await version_of(request_id) == version  # no change, not counted as one


async def test_applying_with_a_file_chosen_sends_it_too(visitor, demo):
    """Guide 000, end of "Compléter une demande": "Choisissez un fichier et cliquez sur « Confirmer »":
    the file chosen in the form goes with the changes, it is never dropped."""
    request_id = await sent_request(MARIE)
    await sign_in(visitor)
    _, page = await visitor.page(f"{BASE}/{request_id}")
    response = await apply(visitor, request_id, files={"fichier": ("certificat.jpg", JPEG, "image/jpeg")})
    assert response.status_code == 303
    _, page = await visitor.page(f"{BASE}/{request_id}")
    assert "Changements effectués." in live_region(page)
    assert status_of(page, MEDICAL) == "Pièce jointe reçue"
    assert "certificat.jpg (JPG, 3 Ko, reçu le" in text(row_of(page, MEDICAL))


async def test_applying_nothing_says_so(visitor, demo):
    request_id = await sent_request(MARIE)
    await sign_in(visitor)
    await visitor.page(f"{BASE}/{request_id}")
    version = await version_of(request_id)
    await apply(visitor, request_id)
    _, page = await visitor.page(f"{BASE}/{request_id}")
    assert live_region(page) == "Information Il n'y a aucun changement à appliquer."
    assert await version_of(request_id) == version


# -- htmx: the block and the message swapped in place ---------------------------------------------


async def test_with_htmx_the_block_and_the_message_are_swapped_in_place(visitor, demo):
    request_id = await sent_request(MARIE)
    await sign_in(visitor)
    await visitor.page(f"{BASE}/{request_id}")
    response = await upload(visitor, request_id, headers=htmx(visitor))
    assert response.status_code == 200
    assert "HX-Request" in response.headers["vary"]
    fragment = check_fragment(response.text)
    assert fragment.find("html") is None
    block = fragment.find("div", id="attachments")
    assert "À envoyer : scan.pdf" in text(block)
    assert gzipped_size(response) <= 4096
    message = fragment.find(id="status-message")
    assert message["hx-swap-oob"] == "innerHTML"
    assert "le fichier scan.pdf est ajouté" in text(message)
    assert message.find(attrs={"autofocus": True}) is not None  # A9: the focus goes to the message

    # The trash: the same block, the focus on the undo arrow that replaced it.
    public_id = (await stored(request_id))[0]["public_id"]
    response = await mark(visitor, request_id, public_id, headers=htmx(visitor))
    fragment = check_fragment(response.text)
    arrow = row_of(fragment, MEDICAL).find("button")
    assert text(arrow) == "Annuler la suppression de Attestation médicale (scan.pdf)"
    assert arrow.has_attr("autofocus")
    assert "sera supprimé" in text(fragment.find(id="status-message"))
    assert fragment.find(id="status-message").find(attrs={"autofocus": True}) is None
    await mark(visitor, request_id, public_id, remove=False, headers=htmx(visitor))

    # "Appliquer les changements" with the version of the block the last swap gave.
    response = await apply(visitor, request_id, page=fragment, headers=htmx(visitor))
    fragment = check_fragment(response.text)
    assert STALE in text(fragment.find(id="status-message"))  # that block was older than the undo
    response = await apply(visitor, request_id, page=fragment, headers=htmx(visitor))
    fragment = check_fragment(response.text)
    assert response.status_code == 200
    assert text(fragment.find(id="status-message")) == "Succès Changements effectués."
    assert status_of(fragment, MEDICAL) == "Pièce jointe reçue"
    assert gzipped_size(response) <= 4096
    # Every form of the block still works without JavaScript.
    for form in fragment.find_all("form"):
        assert form["method"] == "post" and form["action"] == form["hx-post"]


async def test_an_htmx_upload_error_swaps_the_block_with_its_error_summary(visitor, demo):
    request_id = await sent_request(MARIE)
    await sign_in(visitor)
    await visitor.page(f"{BASE}/{request_id}")
    response = await upload(visitor, request_id, content=b"<html><script>alert(1)</script></html>",
                            headers=htmx(visitor))
    assert response.status_code == 422  # htmx swaps 422 (layouts/base.html)
    fragment = check_fragment(response.text)
    summary = fragment.find("div", id="attachments").find(attrs={"data-error-summary": True})
    assert "Le fichier doit être un PDF ou un JPG." in text(summary)
    assert text(fragment.find(id="status-message")) == ""  # an older message does not linger


async def test_the_row_fragment_is_small_and_costs_two_queries(visitor, demo, database):
    request_id = await sent_request(MARIE)
    await sign_in(visitor)
    await visitor.page(f"{BASE}/{request_id}")
    await upload(visitor, request_id)
    with count_queries(database) as statements:
        response, fragment = await visitor.fragment(f"{BASE}/{request_id}/lignes/{MEDICAL}")
    assert len(statements) <= 3, statements  # the session, the request, its files of that type
    assert not any(re.search(r"\bcontent\b", statement) for statement in statements)  # never the files' bytes
    row = fragment.find("li", id=f"ligne-{MEDICAL}")
    assert row is not None and fragment.find("html") is None and fragment.find("h1") is None
    assert "À envoyer : scan.pdf" in text(row)
    assert gzipped_size(response) <= 4096

    # Without htmx, the same URL is the whole page.
    _, page = await visitor.page(f"{BASE}/{request_id}/lignes/{MEDICAL}")
    assert page.find("h1").get_text(strip=True) == "Pièces jointes"

    await visitor.page(f"{BASE}/{request_id}/lignes/preuve-de-formation", status=404)  # not on the checklist
    await visitor.page(f"{BASE}/{request_id}/lignes/nimporte-quoi", status=404)


# -- S7: what the upload refuses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "filename, content, message",
    [
        ("photo.gif.jpg", b"GIF89a" + b"\x00" * 100, "Le fichier doit être un PDF ou un JPG."),
        ("attestation.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100, "Le fichier doit être un PDF ou un JPG."),
        ("attestation.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>",
         "Le fichier doit être un PDF ou un JPG."),
        ("polyglot.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"%PDF-1.7\n1 0 obj<</JS(alert(1))>>" + b"1" * 100,
         "Le fichier doit être un PDF ou un JPG."),
        ("big.pdf", b"%PDF-" + b"0" * (MAX_FILE_BYTES - 4), "Le fichier dépasse 2 Mo."),
        ("scan.pdf", b"%PDF-" + b"0" * 3_000_000, "Le fichier dépasse 2 Mo."),  # a phone's scan: 3 MB
        ("", b"", "Choisissez un fichier."),
    ],
    ids=["gif", "renamed-exe", "html", "pdf-jpeg-polyglot", "2MiB+1", "3MB", "no-file"],
)
async def test_a_refused_file_gives_422_with_the_error_summary_and_nothing_stored(visitor, demo, filename,
                                                                                 content, message):
    request_id = await sent_request(MARIE)
    await sign_in(visitor)
    await visitor.page(f"{BASE}/{request_id}")
    version = await version_of(request_id)

    def assert_refused(response) -> BeautifulSoup:
        assert response.status_code == 422, response.text[:300]
        page = BeautifulSoup(response.text, "html.parser")
        assert page.find("title").get_text().startswith("Erreur : ")
        summary = page.find(attrs={"data-error-summary": True})
        assert message in text(summary)
        assert summary.find("a")["href"] == "#fichier"
        field = page.find("input", id="fichier")
        assert field["aria-invalid"] == "true" and "fichier-error" in field["aria-describedby"]
        return page

    page = assert_refused(await upload(visitor, request_id, content=content, filename=filename, document_type=OTHER))
    assert page.find("option", selected=True)["value"] == OTHER  # what the citizen chose is kept
    if content:  # the same file chosen before "Appliquer les changements" is refused the same way
        assert_refused(await apply(visitor, request_id, files={"fichier": (filename, content, "application/pdf")}))
    assert await stored(request_id) == []
    assert await version_of(request_id) == version


async def test_a_file_of_exactly_2_mib_is_accepted(visitor, demo):
    request_id = await sent_request(MARIE)
    await sign_in(visitor)
    await visitor.page(f"{BASE}/{request_id}")
    response = await upload(visitor, request_id, content=b"%PDF-" + b"0" * (MAX_FILE_BYTES - 5))
    assert response.status_code == 303
    assert len(await stored(request_id)) == 1


@pytest.mark.parametrize("document_type", ["", "preuve-de-formation", "<script>"])
async def test_a_missing_or_unknown_document_type_gives_422(visitor, demo, document_type):
    request_id = await sent_request(MARIE)
    await sign_in(visitor)
    await visitor.page(f"{BASE}/{request_id}")
    response = await upload(visitor, request_id, document_type=document_type)
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    summary = page.find(attrs={"data-error-summary": True})
    assert "Choisissez le type de document." in text(summary)
    assert summary.find("a")["href"] == "#document_type"
    assert page.find("select", id="document_type")["aria-describedby"] == "document_type-error"
    assert await stored(request_id) == []


@pytest.mark.parametrize("target", ["documents", "appliquer"])
async def test_a_truncated_body_gives_422_and_nothing_is_stored(visitor, demo, target):
    request_id = await sent_request(MARIE)
    await sign_in(visitor)
    await visitor.page(f"{BASE}/{request_id}")
    body = (b"--XyZ\r\nContent-Disposition: form-data; name=\"document_type\"\r\n\r\nautre\r\n"
            b"--XyZ\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"a.pdf\"\r\n"
            b"Content-Type: application/pdf\r\n\r\n%PDF-1.7 and then the connection dropped")
    response = await visitor.client.post(
        f"{BASE}/{request_id}/{target}", content=body,
        headers={"X-CSRF-Token": visitor.csrf_token(), "Content-Type": "multipart/form-data; boundary=XyZ"},
    )
    assert response.status_code == 422
    summary = BeautifulSoup(response.text, "html.parser").find(attrs={"data-error-summary": True})
    assert "Le fichier n'a pas été reçu en entier. Choisissez-le à nouveau." in text(summary)
    assert await stored(request_id) == []


async def test_the_same_file_sent_twice_at_once_is_kept_once(visitor, demo):
    request_id = await sent_request(MARIE)
    await sign_in(visitor)
    await visitor.page(f"{BASE}/{request_id}")
    responses = await asyncio.gather(*(upload(visitor, request_id) for _ in range(3)))
    assert [response.status_code for response in responses] == [303] * 3
    assert len(await stored(request_id)) == 1


async def test_a_request_holds_a_bounded_number_of_files(visitor, demo, monkeypatch):
    monkeypatch.setattr(attachment_services, "MAX_DOCUMENTS_PER_REQUEST", 1)
    request_id = await sent_request(MARIE)
    await sign_in(visitor)
    await visitor.page(f"{BASE}/{request_id}")
    assert (await upload(visitor, request_id)).status_code == 303
    response = await upload(visitor, request_id, content=JPEG, filename="page2.jpg")
    assert response.status_code == 422
    assert "Supprimez-en un avant d'en ajouter un autre." in text(BeautifulSoup(response.text, "html.parser"))
    assert len(await stored(request_id)) == 1


# -- the download ------------------------------------------------------------------------------------


async def test_the_citizen_downloads_what_they_sent_as_an_attachment(visitor, demo):
    request_id = await sent_request(MARIE)
    await sign_in(visitor)
    await visitor.page(f"{BASE}/{request_id}")
    await upload(visitor, request_id, content=JPEG, filename="..\\..\\évil\u202egpj.exe", document_type=OTHER)
    row = (await stored(request_id))[0]
    assert row["filename"] == "évilgpj.exe.jpg"  # no path, no direction trick, the content's extension
    response = await visitor.client.get(f"{BASE}/{request_id}/documents/{row['public_id']}")
    assert response.status_code == 200
    assert response.content == JPEG
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"evilgpj.exe.jpg\"; filename*=UTF-8''%C3%A9vilgpj.exe.jpg")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


# -- S6: another citizen's ids ------------------------------------------------------------------------


async def test_another_citizens_ids_are_not_found_on_every_route(visitor, demo):
    mine = await sent_request(MARIE)
    theirs = await sent_request(JAN)
    theirs_file = "x" * 22
    async with transaction():
        await Attachment.insert(Attachment(public_id=theirs_file, request=theirs, document_type=MEDICAL,
                                           filename="jan.pdf", media_type="application/pdf", size=len(PDF),
                                           content=PDF))
    await sign_in(visitor)
    await visitor.page(f"{BASE}/{mine}")
    token = visitor.csrf_token()
    multipart = {"data": {"_csrf_token": token, "document_type": MEDICAL, "version": "3"},
                 "files": {"fichier": ("scan.pdf", PDF, "application/pdf")}}
    form = {"data": {"_csrf_token": token, "retirer": "oui"}}

    def routes(request_id, public_id):
        return [
            ("GET", f"{BASE}/{request_id}", {}),
            ("GET", f"{BASE}/{request_id}/lignes/{MEDICAL}", {}),
            ("GET", f"{BASE}/{request_id}/documents/{public_id}", {}),
            ("POST", f"{BASE}/{request_id}/documents", multipart),
            ("POST", f"{BASE}/{request_id}/documents/{public_id}/retirer", form),
            ("POST", f"{BASE}/{request_id}/appliquer", multipart),
        ]

    cases = [route for request_id in (theirs, "0", "abc", "99999999999") for route in routes(request_id, theirs_file)]
    # Marie's own request with Jan's file id, or an id that cannot be one.
    cases += [route for public_id in (theirs_file, "a" * 300) for route in routes(mine, public_id)
              if public_id in route[1]]
    for method, path, kwargs in cases:
        response = await visitor.client.request(method, path, **kwargs)
        assert response.status_code == 404, (method, path, response.status_code)
    assert [row["marked_for_removal"] for row in await stored(theirs)] == [False]
    assert len(await stored(theirs)) == 1 and await stored(mine) == []


async def test_the_page_is_closed_to_requests_that_are_not_sent_or_are_decided(visitor, demo):
    waiting = await request_for(MARIE)
    decided = await sent_request(MARIE)
    async with transaction():
        await move_request(decided, 2, RequestState.DECIDED)
    await sign_in(visitor)
    await visitor.page(f"{BASE}/{waiting}", status=404)
    await visitor.page(f"{BASE}/{decided}", status=404)


async def test_an_optional_document_may_be_added_only_right_after_the_completion(visitor, demo):
    """Guide 000: "Si vous ne devez pas ajouter de pièce jointe obligatoire, c'est le seul moment pour
    ajouter une pièce jointe facultative"."""
    request_id = await sent_request(MARIE, kind=LeaveKind.PARENTAL, form=LeaveForm.ONE_FIFTH)
    waiting = await request_for(MARIE, kind=LeaveKind.PARENTAL, form=LeaveForm.ONE_FIFTH)
    await sign_in(visitor)
    await visitor.page(f"{BASE}/{request_id}", status=404)

    await set_session_data(visitor.client, attach_after_completion=request_id)
    _, page = await visitor.page(f"{BASE}/{request_id}")
    headings = [text(h2) for h2 in page.find("main").find_all("h2")]
    assert "Documents obligatoires" not in headings and "Documents facultatifs" in headings
    assert page.find("option", selected=True)["value"] == OTHER
    response = await upload(visitor, request_id, document_type="acte-de-naissance")
    assert response.status_code == 303
    _, page = await visitor.page(f"{BASE}/{request_id}")
    await apply(visitor, request_id)
    _, page = await visitor.page(f"{BASE}/{request_id}")
    assert status_of(page, "acte-de-naissance") == "Pièce jointe reçue"

    # Only that request, and only once its worker's part is sent.
    await set_session_data(visitor.client, attach_after_completion=waiting)
    await visitor.page(f"{BASE}/{waiting}", status=404)
    await visitor.page(f"{BASE}/{request_id}", status=404)
    _, page = await visitor.page(BASE)
    assert page.find("input", attrs={"value": str(request_id)}) is None  # not offered in the list


# -- R1 and R3 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("with_htmx", [False, True], ids=["no-js", "htmx"])
async def test_five_identical_applies_at_once_have_one_effect(visitor, demo, with_htmx):
    request_id = await sent_request(MARIE)
    await sign_in(visitor)
    await visitor.page(f"{BASE}/{request_id}")
    await upload(visitor, request_id)
    _, page = await visitor.page(f"{BASE}/{request_id}")
    version = await version_of(request_id)
    headers = htmx(visitor) if with_htmx else {}
    responses = await asyncio.gather(*(apply(visitor, request_id, page=page, headers=headers) for _ in range(5)))
    assert [response.status_code for response in responses] == [200 if with_htmx else 303] * 5
    assert await version_of(request_id) == version + 1
    rows = await stored(request_id)
    assert len(rows) == 1 and rows[0]["received_at"] is not None
    applied = await AuditRecord.count().where(AuditRecord.action == AUDIT_ACTION)
    assert applied == 1
    if with_htmx:
        for response in responses:  # every repetition is answered as done, not as a conflict
            assert text(check_fragment(response.text).find(id="status-message")) == "Succès Changements effectués."
    else:
        _, page = await visitor.page(f"{BASE}/{request_id}")
        assert "Changements effectués." in live_region(page)


async def test_five_identical_applies_with_a_chosen_file_store_it_once(visitor, demo):
    request_id = await sent_request(MARIE)
    await sign_in(visitor)
    _, page = await visitor.page(f"{BASE}/{request_id}")
    files = {"fichier": ("scan.pdf", PDF, "application/pdf")}
    responses = await asyncio.gather(*(apply(visitor, request_id, page=page, files=files, headers=htmx(visitor))
                                       for _ in range(5)))
    assert [response.status_code for response in responses] == [200] * 5
    assert all("Changements effectués." in response.text for response in responses)
    assert len(await stored(request_id)) == 1


async def test_an_apply_from_a_page_that_missed_a_change_applies_nothing(visitor, demo):
    """R3: a tab shows the pending upload; another tab marks it for removal. The first tab's
    "Appliquer les changements" would send a file the citizen meanwhile decided to remove."""
    request_id = await sent_request(MARIE)
    await sign_in(visitor)
    await visitor.page(f"{BASE}/{request_id}")
    await upload(visitor, request_id)
    _, first_tab = await visitor.page(f"{BASE}/{request_id}")
    public_id = (await stored(request_id))[0]["public_id"]
    await mark(visitor, request_id, public_id)  # in the other tab

    response = await apply(visitor, request_id, page=first_tab)
    assert response.status_code == 303
    _, page = await visitor.page(f"{BASE}/{request_id}")
    assert STALE in live_region(page)
    assert "vérifiez les documents ci-dessous et recommencez" in live_region(page)
    rows = await stored(request_id)
    assert rows[0]["received_at"] is None and rows[0]["marked_for_removal"] is True  # nothing applied
    assert button_names(row_of(page, MEDICAL)) == ["Annuler la suppression de Attestation médicale (scan.pdf)"]


async def test_two_conflicting_applies_at_once_one_wins_the_other_is_told(visitor, demo):
    request_id = await sent_request(MARIE)
    await sign_in(visitor)
    await visitor.page(f"{BASE}/{request_id}")
    await upload(visitor, request_id)
    _, first_tab = await visitor.page(f"{BASE}/{request_id}")  # would send the file
    public_id = (await stored(request_id))[0]["public_id"]
    await mark(visitor, request_id, public_id)
    _, second_tab = await visitor.page(f"{BASE}/{request_id}")  # would remove it
    responses = await asyncio.gather(apply(visitor, request_id, page=first_tab, headers=htmx(visitor)),
                                     apply(visitor, request_id, page=second_tab, headers=htmx(visitor)))
    messages = [text(check_fragment(response.text).find(id="status-message")) for response in responses]
    assert [response.status_code for response in responses] == [200, 200]
    assert sum("Changements effectués." in message for message in messages) == 1
    assert sum(STALE in message for message in messages) == 1
    assert await stored(request_id) == []  # the winner's change, and only it
    assert await AuditRecord.count().where(AuditRecord.action == AUDIT_ACTION) == 1


# -- languages -----------------------------------------------------------------------------------------


async def test_the_page_speaks_dutch(visitor, demo):
    request_id = await sent_request(JAN, kind=LeaveKind.MEDICAL_ASSISTANCE)
    await sign_in(visitor, JAN)
    await visitor.client.get("/langue/nl?next=/")
    _, page = await visitor.page(f"{BASE}/{request_id}")
    assert page.find("html")["lang"] == "nl"
    assert page.find("h1").get_text(strip=True) == "Bijlagen"
    assert status_of(page, MEDICAL) == "Bijlage niet ontvangen"
    assert "Wijzigingen toepassen" in button_names(page.find("main"))
    response = await upload(visitor, request_id, content=b"MZ\x90\x00")
    assert response.status_code == 422
    assert "Le fichier doit être un PDF ou un JPG." not in response.text
    _, page = await visitor.page(f"{BASE}/{request_id}")
    await apply(visitor, request_id, files={"fichier": ("scan.pdf", PDF, "application/pdf")})
    _, page = await visitor.page(f"{BASE}/{request_id}")
    assert "Wijzigingen doorgevoerd." in live_region(page)
    assert status_of(page, MEDICAL) == "Bijlage ontvangen"


@pytest.mark.parametrize("action", ["documents", "appliquer"])
async def test_an_anonymous_upload_with_a_valid_token_is_sent_to_identify(visitor, demo, action):
    """The upload routes check the token while reading the body, then the guard: both must hold."""
    request_id = await sent_request()
    await visitor.page("/")  # a seed cookie and its token, as any visitor has
    response = await visitor.client.post(
        f"{BASE}/{request_id}/{action}",
        data={"_csrf_token": visitor.csrf_token(), "document_type": MEDICAL, "version": "1"},
        files={"fichier": ("certificat.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/identification?")
    assert await stored(request_id) == []
