"""The REST API under ``/api/v1``: one router per area, in documentation order."""

from __future__ import annotations

from fastapi import APIRouter

from sinergi.web.api import (
    assessments,
    audit,
    battery,
    footprints,
    imports,
    jobs,
    parks,
    passports,
    session,
    smelters,
    standards,
    submissions,
    symbiosis,
    users,
)

ROUTERS: list[APIRouter] = [
    session.router,
    users.router,
    parks.router,
    smelters.router,
    imports.router,
    submissions.router,
    assessments.router,
    standards.router,
    footprints.router,
    symbiosis.router,
    battery.router,
    passports.router,
    jobs.router,
    audit.router,
]
