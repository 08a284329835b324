"""The platform service: a FastAPI application over the store (``sinergi serve``).

:func:`sinergi.web.app.create_app` builds the application from
:class:`sinergi.web.settings.Settings`; nothing connects or starts at import. Routers in
:mod:`sinergi.web.api` (one per area) call the engines and the store; the one object-level
authorisation layer is :mod:`sinergi.web.policy`.
"""
