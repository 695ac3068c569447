"""The budgets of /work/shared/quality.md that the bench checks, and the flags it raises.

KB means 1,000 bytes (the stricter reading: a 14 KB page plus its headers still fits the TCP
initial window of 14,600 bytes).
"""

from __future__ import annotations

from bench.load import LoadResult
from bench.pages import Page
from bench.servers import Shutdown
from bench.weights import PageWeight

KB = 1000
PAGE_BYTES = 14 * KB  # P1
FRAGMENT_BYTES = 4 * KB  # P1
FIRST_VISIT_BYTES = 60 * KB  # P2
REPEAT_VISIT_BYTES = 15 * KB  # P2
MAX_HELLO_DRIFT = 0.10  # beyond it the machine was not steady enough to trust a ratio


def kb(size: int) -> str:
    return f"{size / KB:.1f} KB"


def weight_flags(page: Page, weight: PageWeight) -> list[str]:
    if not 200 <= weight.status < 300:
        return [f"GET {page.path} answered {weight.status}: not loaded"]
    flags = []
    budget, what = (FRAGMENT_BYTES, "fragment") if page.fragment else (PAGE_BYTES, "page")
    if weight.page_bytes > budget:
        flags.append(f"P1: {what} {kb(weight.page_bytes)} compressed > {kb(budget)}")
    if weight.page_bytes >= 512 and not weight.content_encoding:
        flags.append("P6: HTML served without compression")
    if not page.fragment:
        if weight.first_visit_bytes > FIRST_VISIT_BYTES:
            flags.append(f"P2: first visit {kb(weight.first_visit_bytes)} "
                         f"> {kb(FIRST_VISIT_BYTES)}")
        if weight.repeat_visit_bytes > REPEAT_VISIT_BYTES:
            flags.append(f"P2: repeat visit {kb(weight.repeat_visit_bytes)} "
                         f"> {kb(REPEAT_VISIT_BYTES)}")
    flags += [f"P2: third-party resource {url}" for url in weight.other_origins]
    for resource in weight.resources:
        if not 200 <= resource.status < 300:
            flags.append(f"linked {resource.url} answered {resource.status}")
        if resource.uncompressed_text:
            flags.append(f"P6: {resource.url} served without compression")
    return flags


def load_flags(page: Page, load: LoadResult, ratio: float) -> list[str]:
    flags = []
    if load.non_2xx_3xx:
        flags.append(f"{load.non_2xx_3xx} responses outside 2xx/3xx under load")
    if load.socket_errors:
        flags.append(f"{load.socket_errors} socket errors under load {load.socket_error_detail}")
    if page.min_ratio is not None and ratio < page.min_ratio:
        flags.append(f"P3: ratio {ratio:.2f} < {page.min_ratio:.2f} of the hello endpoint")
    return flags


def drift_warnings(hello_drift: float) -> list[str]:
    if abs(hello_drift) <= MAX_HELLO_DRIFT:
        return []
    return [f"the hello endpoint changed by {hello_drift:+.0%} around this page: its ratio is "
            f"less trustworthy (a busy machine); run the bench again"]


def run_flags(hello_loads: list[LoadResult], shutdown: Shutdown) -> list[str]:
    flags = []
    if any(load.failures for load in hello_loads):
        flags.append("errors on the hello endpoint under load")
    if not shutdown.clean:
        flags.append(f"server {shutdown.describe()}")
    return flags
