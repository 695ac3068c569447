"""The one Jinja environment: templates/, gettext, Babel filters, fingerprinted static URLs.

A page of many rows must stay cheap to render (budget P3: "Mon dossier" with 20 requests makes about
400 calls, 200 of them `_()`, and 500 escapes). Jinja's results are kept, its overheads are not:
the templates' calls skip Jinja's generic argument inspection when the callee cannot want the
context (`GuichetContext.call`); `_("text")` is looked up in a cache of the translated, escaped text
per language instead of going through three layers of Jinja's gettext (`translate`); each output
is escaped without a new Markup around it (`escape_output`); an import compares the globals in one
set operation (`GuichetTemplate`). tests/test_performance_paths.py renders with both and compares.
"""

from __future__ import annotations

import types
from functools import lru_cache
from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, pass_eval_context
from jinja2.nodes import EvalContext
from jinja2.runtime import Context, Macro
from jinja2.utils import _PassArg, internalcode
from litestar import Litestar
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig
from markupsafe import Markup, escape

from app.config import TEMPLATES_DIR, get_settings
from app.web import i18n
from app.web.csrf import csrf_token
from app.web.forms import typed_date
from app.web.fragments import kept_block
from app.web.static import static_url
from app.web.urls import template_url_for


try:
    from markupsafe import _escape_inner  # the C function behind `escape`
except ImportError:  # pragma: no cover - another MarkupSafe: the public function, a little slower
    def _escape_inner(text: str) -> str:
        return str(escape(text))

# Callables that can carry no `jinja_pass_arg`: C functions, bound C methods such as `date.isoformat`.
_C_CALLABLES = frozenset({types.BuiltinFunctionType, types.MethodWrapperType})
_STOP_ITERATION = "value was undefined because a callable raised a StopIteration exception"


class GuichetContext(Context):
    """Jinja's context with a faster `call` for the callables templates use most.

    Jinja's own `call` asks every callee three times whether it wants the context (`hasattr` on the
    callee and on its `__call__`): a few microseconds per call, hundreds of calls per page. Here a
    plain Python function or a C function is called at once, and a function marked
    `pass_eval_context` or `pass_environment`, or a macro (its `__call__` is `pass_eval_context`), gets
    its argument directly; everything else (`pass_context` callables, which may need the loop's
    variables, and other callable objects) takes Jinja's own path, so the result is the same in
    every case.
    """

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's signature
        kind = type(__obj)
        if kind is types.FunctionType:
            pass_arg = getattr(__obj, "jinja_pass_arg", None)
            if pass_arg is _PassArg.eval_context:
                args = (__self.eval_ctx, *args)
            elif pass_arg is _PassArg.environment:
                args = (__self.environment, *args)
            elif pass_arg is not None:
                return Context.call(__self, __obj, *args, **kwargs)
        elif kind is Macro:
            args = (__self.eval_ctx, *args)
        elif kind not in _C_CALLABLES:
            return Context.call(__self, __obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(_STOP_ITERATION)


def escape_output(value: Any) -> str:
    """What `{{ value }}` writes when autoescaping: the text of `markupsafe.escape(value)`.

    Jinja's compiled templates call `escape` on every value they output, and `escape` wraps each
    result in a new `Markup` (about a microsecond, 500 times on a page of 20 requests); the output
    is then joined into one string, where being Markup makes no difference, so this returns the
    same text without the wrapper (and an already-safe Markup as it is)."""
    kind = type(value)
    if kind is str:
        return _escape_inner(value)
    if kind is Markup:
        return value
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    return _escape_inner(str(value))


class GuichetTemplate(Template):
    """Jinja's template, with a cheaper check when it is imported (`{% from "x.html" import y %}`),
    and `escape_output` for what it outputs.

    Jinja compares the importing context's globals with this template's by `set - ChainMap.keys()`,
    which tests each name against the chain in Python (about 0.3 ms with Guichet's globals, on every
    import of every page); `set.difference` gives the same set in a few microseconds."""

    @classmethod
    def _from_namespace(cls, environment: Environment, namespace: Any, globals: Any) -> Template:
        # The compiled module looks `escape` up among its globals at each output (only there:
        # jinja2.compiler writes `escape(` around the children of Output nodes alone).
        namespace["escape"] = escape_output
        return super()._from_namespace(environment, namespace, globals)

    @internalcode
    def _get_default_module(self, ctx: Context | None = None) -> Any:
        if ctx is not None and not self.environment.is_async:
            keys = ctx.globals_keys.difference(self.globals)
            if keys:
                return self.make_module({key: ctx.parent[key] for key in keys})
        return super()._get_default_module(None)


@lru_cache(maxsize=4096)
def _translated(language: str, message: str, autoescape: bool) -> str:
    """What Jinja's new-style `_(message)` gives without variables: the translation, made Markup when
    autoescaping, then formatted with no variables (so that `%%` reads `%`, as Jinja does)."""
    text = i18n.translations(language).gettext(message)
    return (Markup(text) if autoescape else text) % {}


@pass_eval_context
def translate(eval_context: EvalContext, message: str, **variables: Any) -> str:
    """The templates' `_()`: Jinja's new-style gettext, the same result, cached when the text has
    no variables (catalogs do not change while the app runs)."""
    if not variables:
        return _translated(i18n.current_language(), message, eval_context.autoescape)
    text = i18n.gettext(message)
    return (Markup(text) if eval_context.autoescape else text) % variables


def _url_for_no_application(name: str, /, *args: Any, **kwargs: Any) -> str:
    raise RuntimeError(f"url_for({name!r}): this environment serves no application (see use_routes_of)")


def make_environment(service_globals: Mapping[str, object] | None = None) -> Environment:
    """The environment of every page and document: the site's globals and filters, and the names the
    installed services give their templates (`Service.template_globals`)."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        auto_reload=False,  # templates are read once: about 30 % faster pages
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext,
        i18n.ngettext,
        newstyle=True,
        pgettext=i18n.pgettext,
        npgettext=i18n.npgettext,
    )
    environment.context_class = GuichetContext
    environment.template_class = GuichetTemplate
    environment.globals["_"] = translate
    environment.globals.update(
        static_url=static_url,
        current_language=i18n.current_language,
        languages=i18n.LANGUAGES,
        language_names=i18n.LANGUAGE_NAMES,
        settings_is_production=lambda: get_settings().is_production,
        kept_block=kept_block,
        typed_date=typed_date,
        url_for=_url_for_no_application,
    )
    environment.globals.update(service_globals or {})
    environment.filters.update(
        date=i18n.format_date,
        amount=i18n.format_amount,
        number=i18n.format_number,
    )
    return environment


def make_template_config(service_globals: Mapping[str, object]) -> TemplateConfig:
    environment = make_environment(service_globals)
    engine = JinjaTemplateEngine.from_environment(environment)
    # Guichet's CSRF token is bound to the session (app/web/csrf.py), not Litestar's cookie token;
    # Litestar's `url_for` (which reads the request from Jinja's context) gives way to Guichet's, bound
    # to the application by `use_routes_of` once it exists.
    environment.globals["csrf_token"] = csrf_token
    environment.globals["url_for"] = _url_for_no_application
    return TemplateConfig(engine=engine)


def use_routes_of(app: Litestar) -> None:
    """The templates of `app` build addresses from its route names (`url_for`, app/web/urls.py)."""
    app.template_engine.engine.globals["url_for"] = template_url_for(app)
