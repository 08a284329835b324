"""The tenant's data-entry form (no browser): same checks and same saved flows as an upload.

The form's lines are read by the importer's reader, so each problem must land at the field it
belongs to, and clean lines must be saved exactly as an upload of the same lines is; saving
the same lines twice must change nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from i18n_checks import english_left_on
from service_world import World, make_world, signed_in

#: The header of the template's Flows sheet (English labels).
UPLOAD_HEADER = (
    "Period",
    "From node",
    "To node",
    "Commodity",
    "Quantity",
    "Unit",
    "Data quality",
    "Evidence reference",
)
FIELDS = ("source", "target", "commodity", "quantity", "unit", "quality", "evidence")

#: Lines as typed: a unit to convert (kg, kWh) and an Indonesian decimal comma among them.
LINES = [
    ("{node}", "market", "automotive_parts", "4100", "t", "measured", "invoice 2024"),
    ("supplier", "{node}", "steel_sheet", "3.100.500", "kg", "estimated", ""),
    ("grid.jamali", "{node}", "electricity", "6000000,5", "kWh", "measured", "PLN bills"),
]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    url = f"sqlite:///{tmp_path_factory.mktemp('forms') / 'forms.db'}"
    made, client = make_world(url)
    with client:
        yield made
    made.store.close()


@pytest.fixture(scope="module")
def tenant(world: World) -> TestClient:
    return signed_in(world, "tina")


def _company(world: World) -> tuple[str, str]:
    company = world.companies["kiic"][0]
    return company, f"{company}.main" if "automotive" in company else company


def _csrf(client: TestClient) -> str:
    page = client.get("/company").text
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert found is not None
    return found.group(1)


def _form(
    client: TestClient, company: str, period: str, lines: list[tuple[str, ...]], **extra: str
) -> dict[str, Any]:
    data: dict[str, Any] = {"csrf": _csrf(client), "company": company, "period": period}
    data |= {"action": "save"} | extra
    for i, name in enumerate(FIELDS):
        data[name] = [line[i] for line in lines]
    return data


def _typed(node: str) -> list[tuple[str, ...]]:
    return [tuple(cell.format(node=node) for cell in line) for line in LINES]


def _submission(world: World, company: str, period: str) -> dict[str, Any] | None:
    found = world.client.get(
        "/api/v1/submissions", params={"period": period}, headers=world.auth("tina")
    ).json()
    mine = [s for s in found if s["company_id"] == company]
    return mine[0] if mine else None


def _field_errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'<span id="(f-\d+-\w+)-error" class="error field-error">([^<]+)', html))


@pytest.mark.parametrize(("lang", "words"), [("en", "is not a number"), ("id", "bukan angka")])
def test_a_typed_problem_is_shown_at_its_field_in_the_readers_language(
    world: World, tenant: TestClient, lang: str, words: str
) -> None:
    company, node = _company(world)
    lines = _typed(node)
    lines[1] = (*lines[1][:3], "lots", *lines[1][4:])
    lines[2] = (*lines[2][:4], "furlongs", *lines[2][5:])
    answer = tenant.post(f"/company/flows?lang={lang}", data=_form(tenant, company, "2021", lines))
    assert answer.status_code == 422
    errors = _field_errors(answer.text)
    assert set(errors) == {"f-2-quantity", "f-3-unit"}  # line 2's quantity, line 3's unit
    assert words in errors["f-2-quantity"]
    assert 'id="f-2-quantity" name="quantity" value="lots"' in answer.text  # kept as typed
    assert 'aria-describedby="f-2-quantity-error"' in answer.text
    assert _submission(world, company, "2021") is None  # nothing saved


def test_typed_lines_are_saved_as_an_upload_of_the_same_lines_is(
    world: World, tenant: TestClient
) -> None:
    company, node = _company(world)
    lines = _typed(node)
    answer = tenant.post(
        "/company/flows", data=_form(tenant, company, "2022", lines), follow_redirects=False
    )
    assert answer.status_code == 303
    # the Flows sheet as a tenant would save it from a spreadsheet (quoted where needed)
    sheet = io.StringIO()
    writer = csv.writer(sheet)
    writer.writerow(UPLOAD_HEADER)
    writer.writerows(("2023", *line) for line in lines)
    csv_text = sheet.getvalue()
    uploaded = tenant.post(
        "/company/upload",
        data={"csrf": _csrf(tenant), "company": company},
        files={"file": ("flows.csv", csv_text.encode(), "text/csv")},
    )
    assert uploaded.status_code == 200
    typed, filed = _submission(world, company, "2022"), _submission(world, company, "2023")
    assert typed is not None
    assert filed is not None
    assert typed["flows"] == filed["flows"]
    assert typed["data_sha256"] == filed["data_sha256"]
    # the reader converted the units: 3.100.500 kg is 3,100.5 t; 6000000,5 kWh is 6,000.0005 MWh
    quantities = {f["commodity"]: f["quantity"] for f in typed["flows"]}
    assert quantities == {
        "automotive_parts": 4100.0,
        "steel_sheet": 3100.5,
        "electricity": 6000.0005,
    }


def test_saving_the_same_lines_twice_changes_nothing(world: World, tenant: TestClient) -> None:
    company, node = _company(world)
    data = _form(tenant, company, "2020", _typed(node))
    first = tenant.post("/company/flows", data=data, follow_redirects=False)
    assert first.headers["location"].endswith("done=saved")
    saved = _submission(world, company, "2020")
    before = world.store.fingerprint()
    second = tenant.post("/company/flows", data=data, follow_redirects=False)
    assert second.headers["location"].endswith("done=unchanged")
    assert _submission(world, company, "2020") == saved  # same row version, same data
    assert world.store.fingerprint() == before
    page = tenant.get(second.headers["location"] + "&lang=en").text
    assert "Nothing changed" in page
    # the form is filled with the saved flows in their canonical units
    assert 'name="quantity" value="3100.5"' in page
    assert 'name="quantity" value="6000.0005"' in page


def test_a_typed_flow_touching_none_of_the_companys_nodes_is_refused_at_its_line(
    world: World, tenant: TestClient
) -> None:
    company, node = _company(world)
    lines = [*_typed(node)[:1], ("supplier", "market", "steel_sheet", "5", "t", "measured", "")]
    answer = tenant.post("/company/flows?lang=en", data=_form(tenant, company, "2019", lines))
    assert answer.status_code == 422
    errors = _field_errors(answer.text)
    assert list(errors) == ["f-2-source"]
    assert "neither end of this flow belongs to" in errors["f-2-source"]
    assert _submission(world, company, "2019") is None


def test_add_lines_keeps_what_was_typed_and_saves_nothing(world: World, tenant: TestClient) -> None:
    company, node = _company(world)
    data = _form(tenant, company, "2018", _typed(node)[:1], action="add")
    answer = tenant.post("/company/flows?lang=en", data=data)
    assert answer.status_code == 200
    assert 'id="f-1-commodity" name="commodity" value="automotive_parts"' in answer.text
    assert 'id="f-4-source"' in answer.text  # three blank lines added
    assert _submission(world, company, "2018") is None


def test_the_form_refuses_a_missing_csrf_token_and_another_tenants_company(
    world: World, tenant: TestClient
) -> None:
    company, node = _company(world)
    data = _form(tenant, company, "2017", _typed(node))
    assert tenant.post("/company/flows", data=data | {"csrf": "forged"}).status_code == 403
    other = world.companies["kiic"][1]
    assert tenant.post("/company/flows", data=data | {"company": other}).status_code == 404
    assert tenant.get(f"/company/flows?company={other}&period=2024").status_code == 404
    assert _submission(world, company, "2017") is None


def test_a_period_that_is_not_one_is_refused_at_the_period_field(tenant: TestClient) -> None:
    answer = tenant.get("/company/flows?period=spring&lang=en")
    assert answer.status_code == 422
    assert 'aria-describedby="period-error"' in answer.text
    assert "Write the period as a year" in answer.text


def test_the_indonesian_form_leaves_no_english(world: World, tenant: TestClient) -> None:
    company, node = _company(world)
    lines = [(*_typed(node)[0][:3], "lots", *_typed(node)[0][4:])]
    answer = tenant.post("/company/flows?lang=id", data=_form(tenant, company, "2016", lines))
    assert "bukan angka" in answer.text
    assert english_left_on(answer.text) == []
    assert english_left_on(tenant.get("/company?lang=id").text) == []
