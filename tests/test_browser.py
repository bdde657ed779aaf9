"""The site in a real browser: Debian's headless Chromium, driven by Playwright, with axe-core.

Nothing is downloaded: Playwright launches /usr/bin/chromium (``executable_path``), axe-core
comes from tests/browser/node_modules (``npm ci --prefix tests/browser``). Both are installed
by .ci/run; without them these tests are skipped, except under ``CI=true``, where that fails.
Screenshots of every checked page, at desktop and phone width, are saved under pytest's
temporary folder (``screenshots0/``), and their paths printed.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from lowcarbon.pipeline import Pipeline
from lowcarbon.publish.server import SiteServer, make_server
from lowcarbon.publish.site import site_files

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
CITIES = (
    "PREFIX lcd: <https://w3id.org/lowcarbon-diplomacy/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?city ?label WHERE { ?city a lcd:LocalGovernment ; rdfs:label ?label } ORDER BY ?city"
)


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing; .ci/run installs it")
    pytest.skip(f"{what} is missing (.ci/run installs it)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package")
    if not Path(CHROMIUM).is_file():
        _missing("Debian's chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, pipe: Pipeline) -> Iterator[SiteServer]:
    """The site as the build writes it (dataset and source included), served."""
    out = tmp_path_factory.mktemp("browsed") / "site"
    dataset = {
        p.relative_to(ROOT / "exports").as_posix(): p.read_bytes()
        for p in (ROOT / "exports").rglob("*")
        if p.is_file()
    }
    files = site_files(pipe.graph, pipe.ontology, base=pipe.base, dataset=dataset,
                       source=pipe.paths.source.read_bytes())  # fmt: skip
    for rel, data in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    srv = make_server(out, store=out.parent / "store", timeout=30)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    srv.wait_started()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(10)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


class Watched:
    """A page with its console errors, uncaught exceptions and failed requests recorded."""

    def __init__(self, browser: Any, viewport: dict[str, int], *, axe: bool = False) -> None:
        # axe is injected as a script, which the pages' CSP (no scripts at all) would block
        self.context = browser.new_context(viewport=viewport, bypass_csp=axe)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(m.text))
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on("requestfailed", self.failed)
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(
            f"{r.status} {r.url}"))  # fmt: skip

    def failed(self, request: Any) -> None:
        # a request the page itself dropped by navigating on (a click) is no failure
        if "ERR_ABORTED" not in (request.failure or ""):
            self.problems.append(f"failed {request.url}: {request.failure}")

    def close(self) -> None:
        self.context.close()


def shoot(page: Any, shots: Path, name: str) -> Path:
    """What a person sees (the viewport) as ``name.png``, the whole page as ``name-full.png``."""
    path = shots / f"{name}.png"
    page.screenshot(path=str(path))
    page.screenshot(path=str(shots / f"{name}-full.png"), full_page=True)
    print(f"screenshot: {path}")
    return path


def test_index_loads_without_console_errors(browser: Any, server: SiteServer, shots: Path) -> None:
    w = Watched(browser, DESKTOP)
    try:
        response = w.page.goto(server.url)
        assert response is not None and response.status == 200
        assert w.page.title().startswith("臺灣城市低碳外交知識圖譜")
        assert w.page.locator("h1").count() == 1
        shoot(w.page, shots, "index-desktop")
        assert w.problems == []
    finally:
        w.close()


def test_a_click_reaches_taipei_and_its_iclei_quote_links_the_source_line(
    browser: Any, server: SiteServer, shots: Path
) -> None:
    w = Watched(browser, DESKTOP)
    try:
        w.page.goto(server.url)
        w.page.locator("#city").get_by_role("link", name="臺北市").click()
        w.page.wait_for_url("**/id/city/taipei.html")
        entry = w.page.locator("ol.timeline > li", has=w.page.locator('a[href$="iclei.html"]'))
        assert entry.count() == 1
        assert "Membership of" in entry.inner_text() and "done" in entry.inner_text()
        quote = entry.locator("figure.source")
        assert "96年加入「地方環境行動國際委員會」（ICLEI）" in quote.inner_text()
        shoot(w.page, shots, "taipei-desktop")
        quote.get_by_role("link", name="line 66").click()
        w.page.wait_for_url("**/id/source/honor-roll-2011.html#L66")
        target = w.page.locator("#L66")
        assert "96年加入「地方環境行動國際委員會」（ICLEI）" in target.inner_text()
        assert w.page.evaluate("document.querySelector(':target').id") == "L66"
        shoot(w.page, shots, "source-line-66")
        assert w.problems == []
    finally:
        w.close()


def test_the_sparql_page_returns_a_table(browser: Any, server: SiteServer, shots: Path) -> None:
    w = Watched(browser, DESKTOP)
    try:
        w.page.goto(server.url + "sparql.html")
        w.page.fill("#query", CITIES)
        w.page.get_by_role("button", name="Run").click()
        w.page.wait_for_selector("table.results")
        rows = w.page.locator("table.results tbody tr")
        assert rows.count() == 20  # ten cities, two labels each
        assert "city:taipei" in w.page.locator("table.results").inner_text()
        shoot(w.page, shots, "sparql-desktop")
        assert w.problems == []
    finally:
        w.close()


def test_pages_work_without_javascript(browser: Any, server: SiteServer) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(server.url + "id/city/taipei.html")
        assert page.locator("ol.timeline > li").count() == 15
        page.goto(server.url + "sparql?" + urlencode({"query": CITIES}))
        assert page.locator("table.results tbody tr").count() == 20
    finally:
        context.close()


PAGES = {
    "index": "",
    "city": "id/city/taipei.html",
    "event": "id/event/cop15.html",
    "sparql": "sparql?" + urlencode({"query": CITIES}),
    "table": "list/event-2.html",
    "network": "network.html",
}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violation_and_no_overflow(
    browser: Any, server: SiteServer, shots: Path, name: str, viewport: dict[str, int]
) -> None:
    if not AXE.is_file():
        _missing("axe-core (npm ci --prefix tests/browser)")
    w = Watched(browser, viewport, axe=True)
    try:
        w.page.goto(server.url + PAGES[name])
        w.page.add_script_tag(path=str(AXE))
        result = w.page.evaluate("async () => await axe.run(document)")
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        width = w.page.evaluate("document.documentElement.scrollWidth")
        label = "desktop" if viewport is DESKTOP else "phone"
        shoot(w.page, shots, f"{name}-{label}-axe")
        assert bad == [], "\n".join(bad)
        assert width <= viewport["width"], f"{name}: {width} px wide at {viewport['width']} px"
    finally:
        w.close()


def test_axe_finds_what_it_is_asked_to_find(browser: Any) -> None:
    """The check above can fail: a page with an unlabelled image and field is reported."""
    if not AXE.is_file():
        _missing("axe-core (npm ci --prefix tests/browser)")
    context = browser.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document)")
        found = {v["id"]: v["impact"] for v in result["violations"]}
        assert found.get("image-alt") == "critical" and "label" in found
    finally:
        context.close()
