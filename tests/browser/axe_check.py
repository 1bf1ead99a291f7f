"""axe-core in real Chromium, on pages an app in process has already answered.

A test collects the pages with Starlette's TestClient (so it can log in, post forms and keep the
answers to POSTs), then ``axe_failures`` opens each at the app's address in Chromium: every
request is answered from the collected pages or from ``fallback`` (the stylesheets and scripts),
so a page is drawn as its reader sees it and contrast is measured on the page as drawn, in the
light and the dark colour scheme. axe-core (pinned in tests/browser/axe, installed by ``make``
with npm ci) is injected by Playwright; the CSP is bypassed for it alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.conftest import require_component

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
SCHEMES = ("light", "dark")


@dataclass
class Page:
    """One answer of the app: its path in the browser, status, body and type."""

    name: str
    path: str
    status: int
    body: str
    content_type: str = "text/html; charset=utf-8"


@dataclass
class Pages:
    """The pages of one language, collected through the in-process app."""

    language: str
    pages: list[Page] = field(default_factory=list)

    def add(self, name: str, path: str, response: Any, status: int = 200) -> None:
        assert response.status_code == status, (name, response.status_code, response.text[:500])
        self.pages.append(Page(name, path, response.status_code, response.text))

    def names(self) -> set[str]:
        return {page.name for page in self.pages}


def require_axe() -> None:
    require_component(AXE.exists(), f"axe-core ({AXE}: `make pytest` installs it with npm ci)")


def _violations(
    browser: Any,
    base_url: str,
    pages: Pages,
    scheme: str,
    fallback: Callable[[str], Page | None],
) -> Iterator[tuple[Page, list[dict[str, Any]]]]:
    served = {base_url + page.path: page for page in pages.pages}

    def answer(route: Any) -> None:
        url = route.request.url
        page = served.get(url) or (
            fallback(url[len(base_url) :]) if url.startswith(base_url) else None
        )
        if page is None:
            route.abort()  # nothing from elsewhere: the apps load nothing from another origin
            return
        route.fulfill(status=page.status, content_type=page.content_type, body=page.body)

    context = browser.new_context(locale=pages.language, bypass_csp=True, color_scheme=scheme)
    try:
        tab = context.new_page()
        tab.route("**/*", answer)
        axe = AXE.read_text(encoding="utf-8")
        for page in pages.pages:
            tab.goto(base_url + page.path)
            tab.add_script_tag(content=axe)
            result = tab.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
            )
            yield page, [v for v in result["violations"] if v["impact"] in BLOCKING]
    finally:
        context.close()


def _described(violation: dict[str, Any]) -> str:
    targets = [
        {"target": node["target"], "summary": node.get("failureSummary", "")}
        for node in violation["nodes"]
    ]
    return f"{violation['id']} ({violation['impact']}): {violation['help']}\n" + json.dumps(
        targets, ensure_ascii=False, indent=1
    )


def axe_failures(
    browser: Any,
    base_url: str,
    pages: Pages,
    fallback: Callable[[str], Page | None] = lambda _path: None,
) -> list[str]:
    """Each page's serious and critical WCAG 2.1 A/AA violations, in both colour schemes,
    described with their targets (an empty list when there are none)."""
    return [
        f"--- {page.name} ({page.path}, {pages.language}, {scheme}):\n"
        + "\n".join(map(_described, found))
        for scheme in SCHEMES
        for page, found in _violations(browser, base_url, pages, scheme, fallback)
        if found
    ]
