"""`guichet demo-data`: the demo identities of the acceptance environment and their keys."""

from __future__ import annotations

from app.careerbreak.demo import load_demo_requests
from app.identity.demo import load_demo_keys
from app.registry.demo import DemoIdentity, load_demo_data as load_registry


async def load_demo_data() -> tuple[DemoIdentity, ...]:
    identities = await load_registry()
    await load_demo_keys(identities)
    await load_demo_requests()
    return identities
