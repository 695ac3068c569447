"""S7: uploads streamed with a hard limit, typed by their content, the rest of the form kept."""

import pytest
from litestar import Request, post

from app.web.uploads import MAX_FILE_BYTES, UPLOAD_BODY_LIMIT, UPLOAD_ROUTE, read_multipart

PDF = b"%PDF-1.7\n" + b"0" * 1000
JPEG = b"\xff\xd8\xff\xe0" + b"1" * 1000


@post("/tests/upload", **UPLOAD_ROUTE)
async def upload_target(request: Request) -> dict:
    form = await read_multipart(request)
    return {
        "fields": form.fields,
        "files": {name: [f.filename, f.media_type, len(f.content)] for name, f in form.files.items()},
        "problems": {name: problem.value for name, problem in form.problems.items()},
    }


@pytest.fixture(scope="module")
def upload_route(app):
    if not any(route.path == "/tests/upload" for route in app.routes):
        app.register(upload_target)
    return app


@pytest.fixture
async def token(visitor, upload_route) -> dict:
    await visitor.page("/")
    return {"X-CSRF-Token": visitor.csrf_token()}


async def test_a_pdf_and_a_jpeg_are_received_with_the_other_fields(client, token):
    response = await client.post(
        "/tests/upload", headers=token, data={"document_type": "Attestation médicale"},
        files={"medical": ("scan.PDF", PDF, "application/octet-stream"),
               "photo": ("photo.jpeg", JPEG, "image/jpeg")},
    )
    assert response.status_code == 201
    assert response.json() == {
        "fields": {"document_type": "Attestation médicale"},
        "files": {"medical": ["scan.PDF", "application/pdf", len(PDF)],
                  "photo": ["photo.jpeg", "image/jpeg", len(JPEG)]},
        "problems": {},
    }


async def test_the_csrf_token_may_come_in_the_form_as_without_javascript(visitor, client, upload_route):
    await visitor.page("/")
    response = await client.post(
        "/tests/upload", data={"_csrf_token": visitor.csrf_token(), "note": "x"},
        files={"medical": ("scan.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 201
    assert response.json()["files"]["medical"][1] == "application/pdf"


@pytest.mark.parametrize(
    "filename, content",
    [
        ("attestation.pdf", b"<html><script>alert(1)</script></html>"),
        ("attestation.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100),
        ("photo.jpg", b"GIF89a" + b"\x00" * 100),
    ],
)
async def test_a_renamed_file_of_another_type_is_refused(client, token, filename, content):
    response = await client.post(
        "/tests/upload", headers=token, data={"document_type": "Autre"},
        files={"medical": (filename, content, "application/pdf")},
    )
    assert response.status_code == 201
    assert response.json()["problems"] == {"medical": "wrong_type"}
    assert response.json()["fields"] == {"document_type": "Autre"}


async def test_a_file_at_the_limit_is_accepted_and_one_byte_more_is_refused(client, token):
    at_limit = b"%PDF-" + b"0" * (MAX_FILE_BYTES - 5)
    response = await client.post("/tests/upload", headers=token,
                                 files={"medical": ("big.pdf", at_limit, "application/pdf")})
    assert response.json()["files"]["medical"][2] == MAX_FILE_BYTES

    over = at_limit + b"0"
    response = await client.post(
        "/tests/upload", headers=token, data={"document_type": "Autre"},
        files={"medical": ("big.pdf", over, "application/pdf")},
    )
    assert response.json()["problems"] == {"medical": "too_large"}
    assert response.json()["fields"] == {"document_type": "Autre"}


async def test_an_empty_file_input_is_no_file(client, token):
    response = await client.post("/tests/upload", headers=token,
                                 files={"medical": ("", b"", "application/octet-stream")})
    assert response.json()["files"] == {} and response.json()["problems"] == {}


async def test_a_body_far_over_the_limit_is_stopped_with_413(client, token):
    huge = b"%PDF-" + b"0" * (UPLOAD_BODY_LIMIT + 1024)
    response = await client.post("/tests/upload", headers=token,
                                 files={"medical": ("huge.pdf", huge, "application/pdf")})
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.text


async def test_a_truncated_body_gets_a_clear_400(client, token):
    body = (
        b"--XyZ\r\nContent-Disposition: form-data; name=\"medical\"; filename=\"a.pdf\"\r\n"
        b"Content-Type: application/pdf\r\n\r\n%PDF-1.7 and then the connection dropped"
    )
    response = await client.post(
        "/tests/upload", content=body,
        headers={**token, "Content-Type": "multipart/form-data; boundary=XyZ"},
    )
    assert response.status_code == 400
    assert "Demande incorrecte" in response.text


@pytest.mark.parametrize("sent", [None, "0" * 128])
async def test_an_upload_without_the_right_csrf_token_is_refused(client, upload_route, sent):
    await client.get("/")
    data = {"_csrf_token": sent} if sent else {}
    response = await client.post("/tests/upload", data=data,
                                 files={"medical": ("scan.pdf", PDF, "application/pdf")})
    assert response.status_code == 403


async def test_a_body_that_is_not_multipart_is_refused(client, token):
    response = await client.post("/tests/upload", headers=token, data={"a": "b"})
    assert response.status_code == 415


def test_each_file_problem_has_a_message_in_the_users_language():
    from app.web.i18n import activate
    from app.web.uploads import FileProblem, problem_message

    activate("fr")
    assert problem_message(FileProblem.TOO_LARGE).startswith("Le fichier dépasse 2 Mo")
    activate("nl")
    assert problem_message(FileProblem.WRONG_TYPE) != "Le fichier doit être un PDF ou un JPG."
    activate("fr")


def multipart(*parts: tuple[str, str | None, bytes], closed: bool = True) -> bytes:
    body = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += f"--XyZ\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + content + b"\r\n"
    return body + (b"--XyZ--\r\n" if closed else b"")


MULTIPART = {"Content-Type": "multipart/form-data; boundary=XyZ"}


@pytest.mark.parametrize("body", [
    multipart(("note", None, b"x"), ("medical", "a.pdf", PDF), closed=False),  # no closing boundary
    multipart(("note", None, b"x" * (64 * 1024 + 1))),  # a text part over 64 KiB
    multipart(*[(f"field{n}", None, b"x") for n in range(21)]),  # more than 20 parts
    multipart(("medical", "a.pdf", PDF)),  # a file, and no token at all
], ids=["unclosed", "long-field", "many-parts", "no-token"])
async def test_a_broken_or_tokenless_multipart_body_is_refused_as_forged(client, upload_route, body):
    """S2: the CSRF check is not skipped because the body is malformed: 403, never 400 or 422."""
    await client.get("/")
    response = await client.post("/tests/upload", content=body, headers=MULTIPART)
    assert response.status_code == 403


async def test_no_file_is_read_before_the_token(visitor, client, upload_route, monkeypatch):
    """The token comes first in the form (the page puts it first); a file part before it is refused
    at its headers, before any of its bytes is kept."""
    from app.web import uploads

    kept = []
    original = uploads._FormCollector.on_part_data

    def spy(self, data, start, end):
        kept.append(self.part.name)
        return original(self, data, start, end)

    monkeypatch.setattr(uploads._FormCollector, "on_part_data", spy)
    await visitor.page("/")
    body = multipart(("medical", "a.pdf", PDF), ("_csrf_token", None, visitor.csrf_token().encode()))
    response = await client.post("/tests/upload", content=body, headers=MULTIPART)
    assert response.status_code == 403 and "medical" not in kept
