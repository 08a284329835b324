"""The dashboard in a real browser (Playwright driving Debian's Chromium) over a real server.

One server and one browser serve the whole module. The journeys of issue 15 are tests here:
the tenant's upload → review → approval → lock, the manager implementing an exchange, the
language switch, the public visitor, the network check, axe-core and the screenshots.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from dashboard_server import CHROMIUM, Dashboard, running_dashboard
from i18n_checks import english_left_on
from sinergi.model.audit import Actor
from sinergi.store import submissions as subs
from sinergi.web.jobs import run_job

playwright_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "out" / "screenshots"

#: Every page type, the user who sees it (``None``: the public) and its path.
PAGES: dict[str, tuple[str | None, str]] = {
    "national": (None, "/"),
    "national-ministry": ("ana", "/"),
    "park": ("pak.kiic", "/parks/kiic"),
    "park-public": (None, "/parks/kiic"),
    "review": ("pak.kiic", "/review?all=true"),
    "company": ("tina", "/company"),
    "company-form": ("tina", "/company/flows?period=2024"),
    "footprints": (None, "/footprints?product=pack-nmc811"),
    "battery": (None, "/battery"),
    "jobs": ("ana", "/jobs"),
    "audit": ("ana", "/audit"),
    "login": (None, "/login"),
}

GOOD_ROWS = [
    "2024,{node},market,automotive_parts,4100,t,measured,invoice 2024",
    "2024,supplier,{node},steel_sheet,3100,t,measured,",
    "2024,grid.jamali,{node},electricity,6000,MWh,measured,PLN bills",
]
HEADER = "Period,From node,To node,Commodity,Quantity,Unit,Data quality,Evidence reference"


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    with running_dashboard(tmp_path_factory.mktemp("dashboard")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} ('make browser' installs it as root)")
    with playwright_api.sync_playwright() as driver:
        try:
            launched = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        except playwright_api.Error as exc:
            pytest.skip(f"Chromium at {CHROMIUM} cannot be launched here: {exc}")
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def sessions(browser: Any, dashboard: Dashboard) -> dict[str, Any]:
    """Return each user's signed-in browser state (one sign-in per user for the module)."""
    states = {}
    for user in ("ana", "pak.kiic", "tina"):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{dashboard.base}/login")
        page.fill("#username", user)
        page.fill("#password", dashboard.password)
        page.click("form.stack button[type=submit]")
        page.wait_for_url(re.compile(r".*/$"))
        states[user] = context.storage_state()
        context.close()
    return states


def page_for(
    browser: Any,
    sessions: dict[str, Any],
    user: str | None,
    *,
    lang: str = "en",
    width: int = 1280,
) -> Any:
    """Return a page in a fresh context, signed in as ``user`` (the public for ``None``)."""
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        locale="id-ID" if lang == "id" else "en-GB",
        storage_state=None if user is None else sessions[user],
    )
    return context.new_page()


def flows_csv(folder: Path, node: str, rows: list[str]) -> Path:
    path = folder / "flows.csv"
    path.write_text("\n".join([HEADER, *(r.format(node=node) for r in rows)]) + "\n")
    return path


def upload(page: Any, path: Path) -> None:
    page.set_input_files("#file", str(path))
    page.click("form[action='/company/upload'] button[type=submit]")


def test_tenant_upload_review_approve_lock_journey(
    browser: Any, sessions: dict[str, Any], dashboard: Dashboard, tmp_path: Path
) -> None:
    company = dashboard.companies["kiic"][0]
    node = f"{company}.main" if "automotive" in company else company
    tenant = page_for(browser, sessions, "tina")
    tenant.goto(f"{dashboard.base}/company")
    bad = [*GOOD_ROWS[:1], "2024,supplier,{node},steel_sheet,lots,t,measured,"]
    upload(tenant, flows_csv(tmp_path, node, bad))
    problems = tenant.inner_text("#upload-problems")
    assert re.search(r"\b3\b\s+Quantity", problems), problems  # data row 2 is sheet row 3
    assert "not a number" in problems
    assert "No submissions yet." in tenant.content()  # nothing was saved

    upload(tenant, flows_csv(tmp_path, node, GOOD_ROWS))
    assert "Saved 3 flows as a draft for 2024." in tenant.inner_text("[role=status]")
    tenant.click("text=Submit for review")
    assert "submitted, waiting for review" in tenant.inner_text("#submissions")

    manager = page_for(browser, sessions, "pak.kiic")
    manager.goto(f"{dashboard.base}/review")
    manager.click(f"#queue a:has-text('{company}')")
    diff = manager.inner_text("#diff")
    assert "changed" in diff  # against the flows on record
    assert "removed" in diff
    manager.fill("#comment", "Steel sheet looks low; attach the delivery notes.")
    manager.click("button[value=returned]")
    assert "returned for changes" in manager.inner_text("main")

    tenant.goto(f"{dashboard.base}/company")
    assert "attach the delivery notes" in tenant.inner_text("#submissions")
    fixed = [GOOD_ROWS[0], GOOD_ROWS[1].replace("3100", "3300"), GOOD_ROWS[2]]
    upload(tenant, flows_csv(tmp_path, node, fixed))
    tenant.click("text=Submit for review")

    manager.goto(f"{dashboard.base}/review")
    manager.click(f"#queue a:has-text('{company}')")
    assert "3,300.0" in manager.inner_text("#diff")
    manager.click("button[value=approved]")
    assert "approved" in manager.inner_text("main")
    # the park manager may not lock: the button is not offered
    assert manager.locator("button[value=locked]").count() == 0

    ministry = page_for(browser, sessions, "ana")
    ministry.goto(f"{dashboard.base}/parks/kiic")
    assert "approved: 1" in ministry.inner_text("#data-state")
    ministry.goto(f"{dashboard.base}/review?status=approved")
    ministry.click(f"#queue a:has-text('{company}')")
    ministry.click("button[value=locked]")
    assert "locked" in ministry.inner_text("main")
    ministry.goto(f"{dashboard.base}/parks/kiic")
    state = ministry.inner_text("#data-state")
    assert "locked: 1" in state
    assert "approved" not in state


def test_tenant_types_flows_fixes_the_field_saves_and_submits(
    browser: Any, sessions: dict[str, Any], dashboard: Dashboard, tmp_path: Path
) -> None:
    company = dashboard.companies["kiic"][0]
    node = f"{company}.main" if "automotive" in company else company
    tenant = page_for(browser, sessions, "tina")
    tenant.goto(f"{dashboard.base}/company")
    tenant.fill("#type-period", "2023")
    tenant.click("form[action='/company/flows'] button[type=submit]")
    typed = {"source": node, "target": "market", "commodity": "automotive_parts"}
    typed["evidence"] = "invoice 2024"
    for name, value in typed.items():
        tenant.fill(f"#f-1-{name}", value)
    tenant.fill("#f-1-quantity", "4.100")  # thousands or decimals? the reader refuses it
    tenant.fill("#f-1-unit", "t")
    tenant.click("button[value=save]")
    assert "ambiguous" in tenant.inner_text("#f-1-quantity-error")
    assert tenant.get_attribute("#f-1-quantity", "aria-invalid") == "true"
    assert tenant.input_value("#f-1-commodity") == "automotive_parts"  # kept as typed
    tenant.click("#form-problems a")  # the summary leads to the field
    assert tenant.evaluate("document.activeElement.id") == "f-1-quantity"
    tenant.fill("#f-1-quantity", "4100")
    tenant.click("button[value=save]")
    assert "Saved as the draft of 2023." in tenant.inner_text("[role=status]")
    tenant.click("#submit-draft button")
    row = tenant.locator("#submissions tr", has_text="2023")
    assert "submitted, waiting for review" in row.inner_text()

    tenant.goto(f"{dashboard.base}/company")
    upload(tenant, flows_csv(tmp_path, node, ["2022" + GOOD_ROWS[0].removeprefix("2024")]))
    with dashboard.store.reading() as conn:
        found = {s.period: s for s in subs.find(conn, company_ids=[company])}
    assert found["2023"].flows == found["2022"].flows  # typed = uploaded, flow for flow
    assert found["2023"].data_sha256 == found["2022"].data_sha256


def test_monte_carlo_is_started_from_the_explorer_and_drawn_when_done(
    browser: Any, sessions: dict[str, Any], dashboard: Dashboard
) -> None:
    page = page_for(browser, sessions, "ana")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{dashboard.base}/footprints?product=pack-nmc811")
    page.click("#start-monte-carlo button[type=submit]")
    assert "The job is running" in page.inner_text("#monte-carlo-status")
    job = parse_qs(urlparse(page.url).query)["job"][0]
    assert run_job(dashboard.store._url, job, Actor("ana")) == "done"  # no Dask here
    done = page.url.split("#")[0]
    for lang in ("en", "id"):
        for width in (1280, 390):
            view = page_for(browser, sessions, "ana", lang=lang, width=width)
            view.on("request", lambda r: requests.append(r.url))
            _visit(view, f"{done}&lang={lang}")
            view.wait_for_selector("#mc-histogram .main-svg")
            x_title = view.text_content("#mc-histogram .xtitle") or ""
            assert ("Footprint" if lang == "en" else "Jejak karbon") in x_title
            assert "t CO2e" in x_title
            assert view.text_content("#mc-histogram .ytitle")
            assert view.locator("#mc-histogram .annotation").count() == 3  # the interval, median
            if lang == "id":
                assert english_left_on(view.content()) == []
            if width == 1280:
                assert _serious(view) == []
            _shoot(view, f"footprints-monte-carlo-{lang}", width)
            view.context.close()
    assert [u for u in requests if not u.startswith(dashboard.base + "/")] == []


def test_manager_implements_an_exchange_and_it_becomes_a_flow(
    browser: Any, sessions: dict[str, Any], dashboard: Dashboard
) -> None:
    manager = page_for(browser, sessions, "pak.kiic")
    manager.goto(f"{dashboard.base}/parks/kiic")
    before = int(re.sub(r"\D", "", manager.inner_text("#flow-count").split()[0]))
    first = manager.locator("#exchanges ~ div form").first
    first.locator("button[value=accepted]").click()
    assert "accepted" in manager.inner_text("#exchanges ~ div")
    manager.locator("#exchanges ~ div form").first.locator("button[value=implemented]").click()
    assert "implemented" in manager.inner_text("#exchange-list")
    after = int(re.sub(r"\D", "", manager.inner_text("#flow-count").split()[0]))
    assert after == before + 1
    # the map draws it as built: one edge in the implemented style
    assert manager.locator("a.edge.status-implemented").count() == 1


def test_keyboard_focus_on_an_exchange_edge_shows_its_explanation(
    browser: Any, sessions: dict[str, Any], dashboard: Dashboard
) -> None:
    manager = page_for(browser, sessions, "pak.kiic")
    manager.goto(f"{dashboard.base}/parks/kiic#exchanges")
    edges = manager.locator("a.edge")
    assert edges.count() >= 2
    assert manager.locator(".edge-note:visible").count() == 0
    # the keyboard only: Tab from the top of the page until an edge has the focus
    for _ in range(300):
        manager.keyboard.press("Tab")
        if manager.evaluate("document.activeElement.matches('a.edge')"):
            break
    first = edges.nth(0)
    assert first.evaluate("e => e === document.activeElement")
    note = manager.locator("#" + first.get_attribute("data-note"))
    assert note.is_visible()
    assert manager.locator(".edge-note:visible").count() == 1
    text = note.inner_text()
    supplier = manager.locator(f"#exchange-{first.get_attribute('data-exchange')} td").first
    assert supplier.inner_text() in text
    assert re.search(r"t CO2e (avoided|increase)|increase of", text)
    assert "Why proposed" in text
    assert not manager.locator(".edge-prompt").is_visible()
    manager.keyboard.press("Tab")
    second = edges.nth(1)
    assert manager.locator("#" + second.get_attribute("data-note")).is_visible()
    assert not note.is_visible()
    # Enter follows the edge to its row in the table, where the decisions are
    manager.keyboard.press("Enter")
    assert manager.url.endswith("#exchange-" + second.get_attribute("data-exchange"))


@pytest.mark.parametrize(
    "name",
    [
        "national",
        "park",
        "review",
        "company",
        "company-form",
        "footprints",
        "battery",
        "jobs",
        "audit",
    ],
)
def test_language_switch_keeps_the_page_and_leaves_no_english(
    browser: Any, sessions: dict[str, Any], dashboard: Dashboard, name: str
) -> None:
    user, path = PAGES[name]
    page = page_for(browser, sessions, user, lang="en")
    page.goto(dashboard.base + path)
    page.click("a.lang-switch")
    assert page.url.split("?")[0] == (dashboard.base + path).split("?")[0]
    assert page.get_attribute("html", "lang") == "id"
    assert english_left_on(page.content()) == []
    # remembered: the next page without ?lang stays Indonesian
    page.goto(dashboard.base + "/")
    assert page.get_attribute("html", "lang") == "id"


def test_first_visit_follows_the_browser_language(
    browser: Any, sessions: dict[str, Any], dashboard: Dashboard
) -> None:
    for locale, lang in (("id-ID", "id"), ("en-GB", "en")):
        context = browser.new_context(locale=locale)
        page = context.new_page()
        page.goto(dashboard.base + "/")
        assert page.get_attribute("html", "lang") == lang
        context.close()


def test_public_visitor_sees_no_tenant_level_figure(
    browser: Any, sessions: dict[str, Any], dashboard: Dashboard
) -> None:
    names = [c.split(".")[-1] for c in dashboard.companies["kiic"]]
    page = page_for(browser, sessions, None)
    for path in ("/", "/parks/kiic"):
        page.goto(dashboard.base + path)
        text = page.inner_text("main")
        assert "Tenants" not in text
        assert "flow-count" not in page.content()
        assert not any(n in page.content() for n in names)
        assert page.locator("#data-state").count() == 0
    for path in ("/review", "/company", "/jobs", "/audit"):
        page.goto(dashboard.base + path)
        assert "/login" in page.url  # asked to sign in, shown nothing


def test_map_markers_are_reached_with_the_keyboard_smelters_apart(
    browser: Any, sessions: dict[str, Any], dashboard: Dashboard
) -> None:
    page = page_for(browser, sessions, None)
    page.goto(dashboard.base + "/")
    page.wait_for_selector("body[data-ready=map]")
    parks = page.locator("#park-map [data-marker=park]")
    smelters = page.locator("#park-map [data-marker=smelter]")
    assert smelters.count() == 12  # the world's synthetic registry, all with coordinates
    assert parks.count() >= 2
    # one tab stop for the map: Tab from the link before it lands on the first marker
    assert page.locator("#park-map [tabindex='0']").count() == 1
    page.focus("#park-map [tabindex='0']")
    first = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert page.locator(".hoverlayer .hovertext").count() == 1  # its tooltip shows
    for _ in range(parks.count()):
        page.keyboard.press("ArrowRight")
    focused = page.evaluate("document.activeElement.dataset.marker")
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "smelter"
    assert label != first
    assert "synthetic row (not a real plant)" in label
    assert "Smelters (synthetic rows)" in page.text_content("#park-map .legend")
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.dataset.marker") == "park"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/parks/[a-z0-9-]+$"))
    page.context.close()


def _visit(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def _shoot(page: Any, name: str, width: int) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}-{width}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width + 1, f"{name} is {overflow} px wide at {width} px"


def _serious(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_every_page_stays_on_the_server_passes_axe_and_is_photographed(
    browser: Any, sessions: dict[str, Any], dashboard: Dashboard
) -> None:
    outside: list[str] = []
    violations: dict[str, list[str]] = {}
    seen = 0
    for name, (user, path) in PAGES.items():
        page = page_for(browser, sessions, user)
        requests: list[str] = []
        page.on("request", lambda r, into=requests: into.append(r.url))
        _visit(page, dashboard.base + path)
        seen += len(requests)
        outside += [
            f"{name}: {u}"
            for u in requests
            if not (u.startswith(dashboard.base + "/") or u.startswith("data:"))
        ]
        _shoot(page, name, 1280)
        if bad := _serious(page):
            violations[name] = bad
        page.context.close()
    assert seen >= len(PAGES)
    assert outside == []
    assert violations == {}


def test_every_page_fits_a_phone(
    browser: Any, sessions: dict[str, Any], dashboard: Dashboard
) -> None:
    for name, (user, path) in PAGES.items():
        page = page_for(browser, sessions, user, width=390)
        _visit(page, dashboard.base + path)
        _shoot(page, name, 390)
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "id"])
def test_exchange_map_fits_both_widths_and_is_photographed(
    browser: Any, sessions: dict[str, Any], dashboard: Dashboard, lang: str
) -> None:
    for width in (1280, 390):
        page = page_for(browser, sessions, "pak.kiic", lang=lang, width=width)
        _visit(page, f"{dashboard.base}/parks/kiic?lang={lang}")
        page.locator("a.edge").first.focus()
        assert page.locator(".edge-note:visible").count() == 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS / f"park-map-{lang}-{width}.png"
        page.locator("section[aria-labelledby=exchanges]").screenshot(path=str(target))
        assert target.stat().st_size > 10_000
        # the drawing scrolls inside its box on a phone; the page itself never does
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "id"])
def test_national_map_and_charts_fit_both_widths_and_are_photographed(
    browser: Any, sessions: dict[str, Any], dashboard: Dashboard, lang: str
) -> None:
    for width in (1280, 390):
        page = page_for(browser, sessions, "ana", lang=lang, width=width)
        requests: list[str] = []
        page.on("request", lambda r, into=requests: into.append(r.url))
        _visit(page, f"{dashboard.base}/?lang={lang}")
        page.wait_for_selector("body[data-ready]")
        charts = page.locator("[data-bars]")
        assert charts.count() >= 5  # coverage, province totals, national totals by year
        for i in range(charts.count()):
            assert charts.nth(i).locator("svg.main-svg").count() > 0
        # the map's legend and colour bar lie inside the map's box (at 390 px they were cut)
        box = page.evaluate(
            """() => { const d = document.getElementById('park-map');
                 const r = d.getBoundingClientRect();
                 const parts = [...d.querySelectorAll('.legend, .colorbar')];
                 const right = parts.map(p => p.getBoundingClientRect().right);
                 return {right: r.right, parts: right}; }"""
        )
        assert len(box["parts"]) == 2
        assert all(right <= box["right"] + 1 for right in box["parts"]), box
        _shoot(page, f"national-charts-{lang}", width)
        assert _serious(page) == []
        assert [u for u in requests if not u.startswith(dashboard.base + "/")] == []
        page.context.close()
