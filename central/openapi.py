"""The OpenAPI description's security: the device signature, the operator's bearer token and a
division system's bearer token (庁内連携) as security schemes, and each operation's requirement
(#21 class 12).

Which operation needs what is read from its route, not written a second time: the dependencies of
routes/auth.py carry ``auth`` ("device": a signed request from a registered device, "operator":
also a complete operator session; routes/renkei.py's "division": a division's token only), and
the few routes that authenticate inside their function are named here. The signing format itself is security.py's (``canonical_message``).
"""
from __future__ import annotations

from typing import Any, Callable

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from .security import SIGNATURE_PREFIX

# The headers a device sends with every request, in the order they appear in the scheme list.
DEVICE_HEADERS = (
    ("DeviceId", "X-Device-Id", "The terminal's registered device ID (端末ID)."),
    ("DeviceTimestamp", "X-Device-Timestamp",
     "Unix time in whole seconds (decimal, UTC) when the request was signed; the server "
     "accepts it within its clock window (default ±120 s)."),
    ("DeviceNonce", "X-Device-Nonce",
     "16 to 64 characters of the base64url alphabet, new for every request sent; the server "
     "accepts a nonce once per device (a second request with it: 401 device_signature_replayed)."),
    ("DeviceSignature", "X-Device-Signature",
     "Standard base64 (with padding) of the 64-byte Ed25519 signature of the canonical "
     "message (see the API description)."),
)
SESSION_SCHEME = "OperatorSession"
DIVISION_SCHEME = "DivisionToken"  # 庁内連携: a division's system, not a terminal (routes/renkei.py)

SIGNING_TEXT = f"""
**Request signing (端末署名).** Every request except an unsigned `GET /v1/health` is signed by the
terminal's Ed25519 key, made on the device; the server holds only the raw 32-byte public key
(`register-device`). The signed message is UTF-8 text, nine lines joined by `\\n` (no final
newline):

    {SIGNATURE_PREFIX}
    <METHOD, upper case>
    <path, percent-decoded, without the query>
    <raw query string as sent, without '?', empty if none>
    <X-Device-Timestamp, as sent>
    <X-Device-Nonce, as sent>
    <Idempotency-Key header as sent, empty if none>
    <lower-case hex SHA-256 of the Authorization header as sent, empty if none>
    <lower-case hex SHA-256 of the body bytes as sent (of the empty string if none)>

`X-Device-Signature` is the standard base64 (RFC 4648 §4, padded) of the 64-byte signature.
The timestamp is Unix time in seconds; a request outside the server's clock window (±120 s by
default) is refused with `401 device_clock_skew`, an unknown device with `401 device_unknown`,
a bad signature with `401 device_signature_invalid`, a nonce the device has used before (a
replayed request) with `401 device_signature_replayed`, a request without `X-Device-Nonce` (the
old V1 signature) with `401 device_signature_outdated`, a disabled device with
`403 device_disabled`. An operator's bearer token (from `POST /v1/sessions`) is bound to the
device that logged in and is sent as `Authorization: Bearer <token>`.

**Requests.** Bodies are UTF-8 JSON of at most 1 MiB nesting at most 32 levels; operations
that take no body (every GET and DELETE) refuse one. Refusals are RFC 9457 problems
(`application/problem+json`) with a stable `code`, English `detail` and Japanese
`title_ja`/`detail_ja`. Dates are compared with the server's today, the day in Japan (JST); a
problem that does so names it in a `today` member (ISO date).
"""

# Routes whose function authenticates itself (no dependency to read the requirement from), and
# the routes of an unfinished login: a device-signed request with the bearer token of a session
# whose factors (face, password renewal) are still pending.
_OWN_AUTH = {("GET", "/v1/residents"): "operator", ("GET", "/v1/health"): "optional"}
_PENDING_SESSION = {("POST", "/v1/sessions/current/factors/{provider}"),
                    ("DELETE", "/v1/sessions/pending"),
                    ("POST", "/v1/sessions/current/password")}


def _device() -> dict[str, list]:
    return {name: [] for name, _, _ in DEVICE_HEADERS}


def requirement_of(route: Any) -> str | None:
    """"operator", "device", "optional" or None (no authentication) for one route."""
    methods = getattr(route, "methods", None) or ()
    for m in methods:
        if (m, route.path) in _OWN_AUTH:
            return _OWN_AUTH[(m, route.path)]
    stack = list(getattr(getattr(route, "dependant", None), "dependencies", ()))
    found = None
    while stack:
        dep = stack.pop()
        kind = getattr(dep.call, "auth", None)
        if kind == "operator":
            return "operator"
        found = kind or found
        stack.extend(dep.dependencies)
    if found == "device" and any((m, route.path) in _PENDING_SESSION for m in methods):
        return "pending"
    return found


def security_for(kind: str | None) -> list[dict[str, list]] | None:
    if kind == "division":
        return [{DIVISION_SCHEME: []}]
    if kind == "operator" or kind == "pending":
        return [{**_device(), SESSION_SCHEME: []}]
    if kind == "device":
        return [_device()]
    if kind == "optional":
        return [{}, _device()]
    return None


def install(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """Replace ``app.openapi`` with one that adds the schemes and per-operation security."""
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version,
                             description=(app.description or "") + "\n" + SIGNING_TEXT,
                             routes=app.routes)
        schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
        for name, header, text in DEVICE_HEADERS:
            schemes[name] = {"type": "apiKey", "in": "header", "name": header,
                             "description": text}
        schemes[SESSION_SCHEME] = {
            "type": "http", "scheme": "bearer",
            "description": "An operator session's token from POST /v1/sessions, bound to the "
                           "device that logged in (ログインセッション)."}
        schemes[DIVISION_SCHEME] = {
            "type": "http", "scheme": "bearer",
            "description": "庁内連携: a division system's own token (`madoguchi-central "
                           "division-add <division_id>`, shown once), sent as `Authorization: "
                           "Bearer <token>` without a device signature. It reads that "
                           "division's feed only (another division's: 403 division_forbidden; "
                           "an unknown or disabled token, or an operator's session token: 401 "
                           "division_token_invalid)."}
        for route in app.routes:
            security = security_for(requirement_of(route))
            if security is None or route.path not in schema.get("paths", {}):
                continue
            for method in getattr(route, "methods", None) or ():
                op = schema["paths"][route.path].get(method.lower())
                if op is not None:
                    op["security"] = security
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
    return openapi
