"""schemathesis over the whole OpenAPI document, signed in as each role: no 5xx, schema kept.

Every operation gets a bounded number of generated requests per role (positive and negative
data, all of schemathesis's default checks), so the run stays at a few minutes on two cores;
``SINERGI_SCHEMATHESIS_EXAMPLES`` raises the bound for a longer (nightly) run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from service_world import ROLE_USER, World, make_world
from sinergi.model.accounts import Role

EXAMPLES = int(os.environ.get("SINERGI_SCHEMATHESIS_EXAMPLES", "4"))

#: Checks left out, each with its reason. ``positive_data_acceptance`` expects every
#: schema-valid request to succeed, but the API answers 422 (RFC 9110: understood, yet
#: semantically invalid) when a well-formed value names nothing real: an unknown product,
#: standard pack or node id, or an upload whose content fails validation.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder: Path = tmp_path_factory.mktemp("schemathesis")
    made, client = make_world(f"sqlite:///{folder / 'w.db'}")
    with client:
        yield made
    made.store.close()


def _fuzz(operation: schemathesis.APIOperation, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)

    run()


@pytest.mark.slow
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_api_conforms_for_every_role(world: World, role: str) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", world.client.app)
    headers = world.auth(ROLE_USER[Role(role)])
    failures = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            _fuzz(operation, headers)
        except (AssertionError, ExceptionGroup) as exc:  # how schemathesis reports failures
            failures.append(f"{operation.label}: {str(exc)[:800]}")
    assert operations >= 40
    assert failures == [], "\n\n".join(failures)
