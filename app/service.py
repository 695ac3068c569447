"""What a service package of the portal declares of itself, in one place: its `service.py`.

    SERVICE = Service(
        name="breakatwork",
        route_handlers=[BreakAtWorkController],
        template_globals={...},          # names its templates use, added to the one Jinja environment
        catalogue=[ONLINE_SERVICE],      # its entries in the portal's catalogue (app/portal/catalogue.py)
    )

`app/installed.py` lists the services; `create_app()` mounts their routes and exception handlers,
registers their catalogue entries and listeners, and adds their template globals; the Piccolo app
reads their tables. Nothing below the services (`app/web`, `app/db`, `app/identity`, `app/access`,
`app/rules`, ...) imports a service: a service offers itself here and is found through this list.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from piccolo.table import Table

    from app.events import Event


@dataclass(frozen=True)
class Service:
    """One service of the portal, as `create_app()`, the Piccolo app and the Jinja environment see it.

    - `route_handlers`: its controllers, in every environment; `acceptance_route_handlers`: those
      mounted only outside production (test tools such as the outbox).
    - `tables`: its Piccolo tables (the schema itself comes from migrations/).
    - `template_globals`: the names its templates use.
    - `catalogue`: its entries in the portal's catalogue: nothing links to a service not installed.
    - `exception_handlers`: how its own refusals are shown (for example "not a personnel officer").
    - `listeners`: what it does when another service publishes an event (`app/events.py`).
    - `outbox_handlers`: how it delivers the items of its kinds that a transaction wrote to the outbox
      (`app/outbox/services.py`: a document, an e-mail), by kind; each takes the item.
    """

    name: str
    route_handlers: Sequence[Any] = ()
    acceptance_route_handlers: Sequence[Any] = ()
    tables: Sequence[type[Table]] = ()
    template_globals: Mapping[str, object] = field(default_factory=dict)
    catalogue: Sequence[object] = ()  # app.portal.catalogue.OnlineService entries
    exception_handlers: Mapping[type[Exception], Callable[..., Any]] = field(default_factory=dict)
    listeners: Mapping[Event, Callable[..., Awaitable[None]]] = field(default_factory=dict)
    outbox_handlers: Mapping[str, Callable[..., Awaitable[None]]] = field(default_factory=dict)
