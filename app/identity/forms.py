"""What the user sent on the identification pages, checked, with messages in their language."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.web.i18n import gettext as _


@dataclass
class PasswordForm:
    username: str = ""
    password: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def parse(cls, data: dict) -> PasswordForm:
        form = cls(username=(data.get("username") or "").strip(), password=data.get("password") or "")
        if not form.username:
            form.errors.append(("username", _("Saisissez votre nom d'utilisateur.")))
        if not form.password:
            form.errors.append(("password", _("Saisissez votre mot de passe.")))
        return form


@dataclass
class CodeForm:
    code: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def parse(cls, data: dict) -> CodeForm:
        # Paste and autofill are welcome: spaces and dashes in a pasted code are ignored.
        code = "".join(char for char in (data.get("code") or "") if not char.isspace() and char != "-")
        form = cls(code=code)
        if not code:
            form.errors.append(("code", _("Saisissez le code de sécurité.")))
        elif not code.isdigit() or len(code) != 6:
            form.errors.append(("code", _("Le code de sécurité est composé de 6 chiffres.")))
        return form


def error_of(errors: list[tuple[str, str]], field_id: str) -> str | None:
    return next((message for field, message in errors if field == field_id), None)
