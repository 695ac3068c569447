"""The component macros of templates/components/: each labels and describes its fields the same way."""

from jinja2 import Template as JinjaTemplate
from markupsafe import Markup

from app.web.i18n import activate
from app.installed import template_globals
from app.web.templates import make_environment
from tests.support.html import check_fragment

ENVIRONMENT = make_environment(template_globals())


def render(source: str, **context) -> str:
    activate("fr")
    template: JinjaTemplate = ENVIRONMENT.from_string(
        '{% from "components/fields.html" import text_input, textarea, select, date_input, radios, checkboxes, '
        "file_upload, button, error_summary %}"
        '{% from "components/content.html" import notification_banner, summary_list, table, '
        "pagination %}" + source
    )
    return template.render(**context)


def test_text_input_links_its_hint_and_error_and_keeps_what_was_typed():
    soup = check_fragment(render(
        '{{ text_input("niss", "niss", "Numéro de registre national", hint="11 chiffres", '
        'error="Le numéro n\'est pas valide", value="8804<12", autocomplete="off") }}'
    ))
    field = soup.find("input", id="niss")
    assert field["value"] == "8804<12"
    assert field["aria-describedby"] == "niss-hint niss-error"
    assert field["aria-invalid"] == "true"
    assert soup.find(id="niss-error").get_text(" ", strip=True) == "Erreur : Le numéro n'est pas valide"
    assert soup.find("label", attrs={"for": "niss"}).get_text() == "Numéro de registre national"


def test_text_input_without_hint_or_error_has_no_dangling_description():
    soup = check_fragment(render('{{ text_input("name", "name", "Nom") }}'))
    assert not soup.find("input").has_attr("aria-describedby")


def test_date_input_is_a_group_of_three_labelled_fields_that_keep_the_typed_values():
    soup = check_fragment(render(
        '{{ date_input("start", "start", "Date de début", error="Date impossible", '
        'value={"day": "31", "month": "02", "year": "2026"}) }}'
    ))
    assert soup.find("legend").get_text() == "Date de début"
    values = [field["value"] for field in soup.find_all("input")]
    assert values == ["31", "02", "2026"]
    assert [label.get_text() for label in soup.find_all("label")] == ["Jour", "Mois", "Année"]
    # Without a hint of its own, the field says how to type a date.
    assert soup.find("fieldset")["aria-describedby"] == "start-hint start-error"
    assert soup.find(id="start-hint").get_text(strip=True) == "Par exemple 12 3 2019"


def test_date_input_keeps_its_own_hint_or_none():
    soup = check_fragment(render('{{ date_input("end", "end", "Date de fin", hint="Le dernier jour") }}'))
    assert soup.find(id="end-hint").get_text(strip=True) == "Le dernier jour"
    soup = check_fragment(render('{{ date_input("end", "end", "Date de fin", hint="") }}'))
    assert soup.find(id="end-hint") is None and not soup.find("fieldset").has_attr("aria-describedby")


def test_radios_check_the_chosen_value_and_the_first_carries_the_id():
    soup = check_fragment(render(
        '{{ radios("form", "form", "Forme", [("complete", "Interruption complète"), '
        '("half", "Mi-temps", "50 %")], value="half") }}'
    ))
    first, second = soup.find_all("input")
    assert first["id"] == "form" and not first.has_attr("checked")
    assert second.has_attr("checked")
    assert soup.find(id=second["aria-describedby"]).get_text() == "50 %"


def test_the_first_choice_s_hint_and_the_group_s_hint_have_their_own_ids():
    soup = check_fragment(render(
        '{{ radios("statut", "statut", "Statut", [("a", "Salarié", "Sous contrat de travail"), '
        '("b", "Indépendant")], hint="Un seul statut") }}'
    ))
    first = soup.find("input")
    assert soup.find(id=first["aria-describedby"]).get_text() == "Sous contrat de travail"
    assert soup.find(id="statut-hint").get_text() == "Un seul statut"


def test_checkboxes_check_every_chosen_value():
    soup = check_fragment(render(
        '{{ checkboxes("apps", "apps", "Applications", [("a", "A"), ("b", "B"), ("c", "C")], '
        'value=["a", "c"]) }}'
    ))
    assert [box.has_attr("checked") for box in soup.find_all("input")] == [True, False, True]


def test_file_upload_says_which_file_was_received():
    soup = check_fragment(render(
        '{{ file_upload("doc", "doc", "Attestation médicale", hint="PDF ou JPG, 2 Mo au plus", '
        'value="certificat.pdf", accept=".pdf,.jpg") }}'
    ))
    field = soup.find("input")
    assert field["type"] == "file"
    assert field["aria-describedby"] == "doc-hint doc-current"
    assert "certificat.pdf" in soup.find(id="doc-current").get_text()


def test_error_summary_links_to_each_field_and_takes_the_focus():
    html = render(
        '{{ error_summary([("niss", "Saisissez le NISS"), ("start-day", "Saisissez la date")]) }}'
        '<input id="niss" aria-label="x"><input id="start-day" aria-label="y">'
    )
    soup = check_fragment(html)
    summary = soup.find(attrs={"data-error-summary": True})
    assert summary["tabindex"] == "-1"
    assert [a["href"] for a in summary.find_all("a")] == ["#niss", "#start-day"]
    assert render("{{ error_summary([]) }}").strip() == ""


def test_button_and_notification_banner():
    soup = check_fragment(render(
        '{{ button("Suivant") }}{{ button("Précédent", kind="secondary", name="action", value="back") }}'
        '{{ notification_banner("Changements effectués.", kind="success", focus=True) }}'
    ))
    primary, secondary = soup.find_all("button")
    assert primary["type"] == "submit" and primary.get_text() == "Suivant"
    assert secondary["class"] == ["button", "button--secondary"] and secondary["value"] == "back"
    banner = soup.find(attrs={"data-focus-after-swap": True})
    assert "Changements effectués." in banner.get_text()
    assert "Succès" in banner.get_text()


def test_summary_list_offers_a_described_change_link():
    soup = check_fragment(render(
        '{{ summary_list([{"key": "IBAN", "value": "BE68 5390 0754 7034", "change_url": "/x"}, '
        '{"key": "Pays", "value": "Belgique"}]) }}'
    ))
    assert [dt.get_text() for dt in soup.find_all("dt")] == ["IBAN", "Pays"]
    link = soup.find("a")
    assert link.get_text(" ", strip=True) == "Modifier IBAN"


def test_table_has_a_caption_and_row_headers_or_says_it_is_empty():
    soup = check_fragment(render(
        '{{ table("Demandes", ["Ticket", "État"], [["ABC-234", "Envoyée"]]) }}'
    ))
    assert soup.find("caption").get_text() == "Demandes"
    assert soup.find("tbody").find("th")["scope"] == "row"
    assert "Aucun résultat." in render('{{ table("Demandes", ["Ticket"], []) }}')


def test_pagination_shows_only_the_existing_directions():
    soup = check_fragment(render('{{ pagination(next_url="/liste?apres=42") }}'))
    assert [a.get_text() for a in soup.find_all("a")] == ["Page suivante"]
    assert soup.find("nav")["aria-label"] == "Pagination"
    assert render("{{ pagination() }}").strip() == ""


def test_what_the_user_typed_is_escaped():
    html = render('{{ text_input("q", "q", "Recherche", value=typed) }}', typed='"><script>x</script>')
    assert "<script>" not in html
    assert isinstance(Markup(html), Markup)


def test_select_is_labelled_keeps_the_chosen_value_and_offers_a_blank_choice():
    soup = check_fragment(render(
        '{{ select("statut", "statut", "Statut", [("a", "Annulée"), ("b", "Envoyée")], hint="Un seul", '
        'error="Choisissez un statut de la liste.", value="b", blank="Tous") }}'
    ))
    control = soup.find("select")
    assert soup.find("label", attrs={"for": "statut"}).get_text() == "Statut"
    assert [option.get_text() for option in control.find_all("option")] == ["Tous", "Annulée", "Envoyée"]
    assert control.find("option", selected=True).get_text() == "Envoyée"
    assert control["aria-describedby"] == "statut-hint statut-error" and control["aria-invalid"] == "true"


def test_textarea_keeps_what_was_typed_escaped():
    soup = check_fragment(render('{{ textarea("d", "d", "Description", value="<b>10 h</b> & plus") }}'))
    assert soup.find("textarea").get_text() == "<b>10 h</b> & plus"
    assert not soup.find("textarea").has_attr("aria-describedby")
