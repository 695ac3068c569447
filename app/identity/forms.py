"""What the user sent on the identification pages, checked, with messages in their language."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.rules.passwords import PasswordProblem, password_problem
from app.web.i18n import gettext as _

USERNAME_MAX_LENGTH = 64  # the length of Person.username


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
        elif len(form.username) > USERNAME_MAX_LENGTH:
            form.errors.append(("username", _(
                "Le nom d'utilisateur compte au plus 64 caractères. Vérifiez ce que vous avez saisi."
            )))
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


def password_problem_message(problem: PasswordProblem) -> str:
    if problem is PasswordProblem.TOO_SHORT:
        return _("Le nouveau mot de passe doit compter au moins 8 caractères.")
    if problem is PasswordProblem.TOO_LONG:
        return _("Le nouveau mot de passe doit compter au plus 128 caractères.")
    if problem is PasswordProblem.COMMON:
        return _("Ce mot de passe est trop courant. Choisissez-en un autre, par exemple quelques mots sans lien entre eux.")
    return _("Le mot de passe ne peut pas être votre nom d'utilisateur.")


@dataclass
class NewPasswordForm:
    """The passwords are never sent back to the page, even when something is wrong."""

    current_password: str = ""
    new_password: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def parse(cls, data: dict, username: str) -> NewPasswordForm:
        form = cls(data.get("current_password") or "", data.get("new_password") or "")
        if not form.current_password:
            form.errors.append(("current_password", _("Saisissez votre mot de passe actuel.")))
        if not form.new_password:
            form.errors.append(("new_password", _("Saisissez un nouveau mot de passe.")))
        elif (problem := password_problem(form.new_password, username)) is not None:
            form.errors.append(("new_password", password_problem_message(problem)))
        elif form.new_password != (data.get("confirmation") or ""):
            form.errors.append(("confirmation", _("Les deux mots de passe ne correspondent pas.")))
        return form
