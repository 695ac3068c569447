"""The house's layers, read from the code: every `import` of app/ (at any depth, also inside a function)
runs from a higher layer to a lower one or stays in its package, and one service uses another only
through the modules it offers (README, "The layout").

    .venv/bin/python -m pytest tests/test_layers.py -q     # names every import that breaks a rule
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app"

# Lowest first. A package may import its own modules and any package of a lower layer.
LAYERS: tuple[frozenset[str], ...] = tuple(frozenset(layer) for layer in (
    {"app.config", "app.rules", "app.clock"},    # settings; pure rules: no framework, no database; time
    {"app.db", "app.events"},                    # engines and transactions; events between services
    {"app.outbox"},                              # what a transaction promises to send, delivered after it
    {"app.web", "app.service"},                  # cross-cutting HTTP pieces; what a service declares
    {"app.registry", "app.audit", "app.mail"},   # registers, the audit trail, e-mail
    {"app.identity"},                            # digital keys, sessions, guards
    {"app.access"},                              # acting for an organisation
    {"app.ebox", "app.portal"},                  # the generic e-Box; the portal and its catalogue
    {"app.careerbreak", "app.leaving_belgium"},  # the services...
    {"app.breakatwork", "app.employer"},
    {"app.acceptance", "app.demo"},              # acceptance tools and demo data, over everything
    {"app.installed"},                           # the list of services
    {"app.asgi", "app.cli"},                     # what assembles them
))
CROSS_CUTTING = {"app.config", "app.rules", "app.db", "app.events", "app.outbox", "app.service", "app.web",
                 "app.registry", "app.audit", "app.mail", "app.identity", "app.access", "app.clock"}
SERVICES = {"app.ebox", "app.portal", "app.careerbreak", "app.breakatwork", "app.employer",
            "app.leaving_belgium"}
# What a service offers the others: an import of any other of its modules by another service fails.
PUBLIC_SURFACE = {
    "app.careerbreak": {
        "app.careerbreak.tables",      # the request and its events
        "app.careerbreak.services",    # reading and creating requests
        "app.careerbreak.history",     # a person's leave taken, for the balances
        "app.careerbreak.wording",     # how kinds, forms and states are named
        "app.careerbreak.menu",        # its address and menu
        "app.careerbreak.events",      # what it publishes
    },
    "app.ebox": {"app.ebox.services", "app.ebox.pdf", "app.ebox.routes", "app.ebox.tables"},
    "app.portal": {"app.portal.catalogue"},
}


def package_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def layer_of(package: str) -> int:
    for index, layer in enumerate(LAYERS):
        if package in layer:
            return index
    raise AssertionError(f"{package} is in no layer of tests/test_layers.py: add it where it belongs")


def module_name(path: Path) -> str:
    relative = path.relative_to(APP.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, module: str) -> list[tuple[int, str]]:
    """(line, module) of every import of an `app.` module in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(), filename=str(path))
    here = module.split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[:len(here) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            # `from app.careerbreak import service` imports the module app.careerbreak.service
            names = [f"{module}.{alias.name}" for alias in node.names]
            found += [(node.lineno, name if (APP.parent / name.replace(".", "/")).with_suffix(".py").exists()
                       or (APP.parent / name.replace(".", "/")).is_dir() else module) for name in names]
    return sorted({(line, module) for line, module in found if module == "app" or module.startswith("app.")})


def all_imports(extra: tuple[tuple[Path, str], ...] = ()) -> list[tuple[str, int, str, str]]:
    """(file, line, importing module, imported module) for the whole of app/ (and `extra` files,
    each read as the module it names)."""
    files = [(path, module_name(path)) for path in sorted(APP.rglob("*.py"))] + list(extra)
    return [(path.name if path in dict(extra) else str(path.relative_to(APP.parent)), line, module, imported)
            for path, module in files
            for line, imported in imports_of(path, module)]


def imports_up(extra: tuple[tuple[Path, str], ...] = ()) -> list[str]:
    """Every import from a lower layer to a higher one, or sideways to another package of its layer."""
    wrong = []
    for file, line, importer, imported in all_imports(extra):
        source, target = package_of(importer), package_of(imported)
        if source != target and layer_of(target) >= layer_of(source):
            wrong.append(f"{file}:{line} {source} (layer {layer_of(source)}) imports {imported} "
                         f"(layer {layer_of(target)})")
    return wrong


def test_every_package_has_a_layer() -> None:
    packages = {package_of(module_name(path)) for path in APP.rglob("*.py")} - {"app"}
    for package in packages:
        layer_of(package)


def test_no_import_runs_from_a_lower_layer_to_a_higher_one_or_sideways() -> None:
    assert imports_up() == []


def test_the_cross_cutting_layers_import_no_service() -> None:
    wrong = [f"{file}:{line} imports {imported}" for file, line, importer, imported in all_imports()
             if package_of(importer) in CROSS_CUTTING and package_of(imported) in SERVICES]
    assert wrong == []


def test_services_use_each_other_only_through_their_public_surface() -> None:
    wrong = []
    for file, line, importer, imported in all_imports():
        source, target = package_of(importer), package_of(imported)
        if source == target or target not in PUBLIC_SURFACE or source not in SERVICES:
            continue
        if imported not in PUBLIC_SURFACE[target] and imported != target:
            wrong.append(f"{file}:{line} {source} imports {imported}, not offered by {target}")
    assert wrong == []


@pytest.mark.parametrize("source", [
    "from app.careerbreak.services import requests_of\n",
    "import app.employer.routes\n",
    "def later():\n    from app.careerbreak import wording\n",
])
def test_the_walk_sees_an_import_of_a_service_from_the_web_layer(tmp_path: Path, source: str) -> None:
    """The check itself can fail: a module of app/web importing a service, at any depth, is reported."""
    planted = tmp_path / "planted.py"
    planted.write_text(source)
    assert [line for line in imports_up(((planted, "app.web.planted"),)) if line.startswith("planted.py:")]


def test_no_routes_file_outgrows_one_reader() -> None:
    """A routes file past 450 lines is split along its screens."""
    too_long = {str(path.relative_to(APP.parent)): lines for path in APP.rglob("routes.py")
                if (lines := len(path.read_text().splitlines())) > 450}
    assert too_long == {}
