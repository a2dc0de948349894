"""The request guard: what every request must be before anything parses it (#21 class 1).

An ASGI layer ahead of everything else in the app (even the direct routes, direct.py). It answers
an RFC 9457 problem, without reading further, to a request

* whose path or query is not UTF-8 once percent-decoded (``%ff``, an encoded lone surrogate
  ``%ed%a0%80``): Starlette would decode it with replacement characters, a search for ``%ff``
  becoming a search for ``\ufffd`` (400 ``url_encoding_invalid``);
* that sends a body to an operation that takes none (every GET and DELETE, unknown paths): such a
  body is never read nor decoded (400 ``body_not_allowed``);
* whose body is larger than ``MAX_BODY_BYTES`` (413 ``body_too_large``; refused from its
  Content-Length before reading, or as soon as the bytes received pass the limit). An operation
  may declare a larger limit of its own (``openapi_extra={"x-max-body-bytes": n}``: a signed
  form's PDF/A, routes/forms.py), read by ``body_limits_of``;
* whose body is not UTF-8 (RFC 8259 §8.1), or carries a JSON escape of a lone surrogate
  (``"\\ud800"``), which no database can store (400 ``body_encoding_invalid``);
* whose body nests arrays and objects deeper than ``MAX_JSON_DEPTH`` (400 ``body_too_deep``).
  Python's json module and the validation error built from its result recurse once per level:
  100,000 nested ``[`` ended in a RecursionError and a 500. The depth is measured on the raw
  bytes with a few passes of C-speed bytes operations, never by a parser.

Every refusal is audited like the refusals of authentication (routes/auth.py ``audit_refusal``):
action ``request.refused``, as the device the request claims, with the problem's code only (never
the body or the query). What passes reaches the app with its body already read, once.
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .problems import Problem, problem

MAX_BODY_BYTES = 1024 * 1024  # the largest body is an outbox batch: 50 commands of ~1-2 KB each
MAX_JSON_DEPTH = 32  # the deepest body declared is 4 levels (a face enrolment's captures)

_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_ONE_KIND = bytes.maketrans(b"{}", b"[]")
_HIGH = rb"\\u[dD][89abAB][0-9a-fA-F]{2}"
_LOW = rb"\\u[dD][c-fC-F][0-9a-fA-F]{2}"
_LONE_SURROGATE = re.compile(_HIGH + b"(?!" + _LOW + b")|(?<!" + _HIGH + b")" + _LOW)


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when a JSON parser reading ``body`` would nest more than ``limit`` arrays or objects
    (or, for a body that is not JSON, might: such a body is refused either way)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    # Outside strings only: drop escaped backslashes and quotes, then every second piece
    # between quotes is a string's content. A body with an unterminated string is invalid JSON.
    text = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    brackets = b"".join(text.split(b'"')[::2]).translate(_ONE_KIND, _NOT_BRACKETS)
    for _ in range(limit):  # each pass removes the innermost level of every pair
        reduced = brackets.replace(b"[]", b"")
        if len(reduced) == len(brackets):
            break
        brackets = reduced
    # A pair still left lies deeper than ``limit``; so does any run of opened, never-closed
    # levels a parser would recurse into ("[[[[…" with no end).
    return b"[]" in brackets or brackets.count(b"[") > limit


def has_lone_surrogate(body: bytes) -> bool:
    """True when a JSON text escapes a UTF-16 surrogate that is not half of a pair."""
    if b"\\u" not in body:
        return False
    return _LONE_SURROGATE.search(body.replace(b"\\\\", b"")) is not None


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decoded_utf8(raw: bytes) -> bool:
    if b"%" not in raw:
        return raw.isascii() or _utf8(raw)  # the lookup's usual path and query: no copy
    return _utf8(unquote_to_bytes(raw))


def url_ok(scope: Scope) -> bool:
    """The path and query are UTF-8 once percent-decoded."""
    raw_path = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "surrogatepass")
    return _decoded_utf8(raw_path) and _decoded_utf8(scope.get("query_string", b""))


def _refusal(code: str, limit: int = MAX_BODY_BYTES) -> Problem:
    texts = {
        "url_encoding_invalid": ("The path or query is not valid UTF-8 when percent-decoded",
                                 "URLに使用できない文字コードが含まれています"),
        "body_not_allowed": ("This operation takes no request body",
                             "この操作にはリクエストの本文を送れません"),
        "body_too_large": (f"The request body exceeds {limit} bytes",
                           f"リクエストの本文が大きすぎます（上限 {limit} バイト）"),
        "body_length_invalid": ("Content-Length is not a number", "Content-Length が正しくありません"),
        "body_encoding_invalid": ("The request body must be UTF-8 JSON without lone surrogates",
                                  "リクエストの本文の文字コードが正しくありません（UTF-8）"),
        "body_too_deep": (f"The request body nests more than {MAX_JSON_DEPTH} levels",
                          f"リクエストの本文の入れ子が深すぎます（上限 {MAX_JSON_DEPTH} 段）"),
    }
    detail, detail_ja = texts[code]
    return problem(code, detail, detail_ja)


class RequestGuard:
    """The ASGI layer in front of ``app`` (see the module's docstring). ``body_routes`` says
    whether (method, path) is an operation that declares a body; ``on_refusal(problem, scope)``
    audits a refusal (called in a worker thread); ``body_limits(method, path)`` gives an
    operation's own larger body limit, or None (``MAX_BODY_BYTES``)."""

    def __init__(self, app: ASGIApp, body_routes, on_refusal=None, body_limits=None) -> None:
        self.app, self.body_routes, self.on_refusal = app, body_routes, on_refusal
        self.body_limits = body_limits or (lambda method, path: None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal, body = await self._check(scope, receive)
        if refusal is not None:
            if self.on_refusal is not None:
                await run_in_threadpool(self.on_refusal, refusal, scope)
            await refusal.response()(scope, receive, send)
            return
        if body is None:
            await self.app(scope, receive, send)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _check(self, scope: Scope, receive: Receive) -> tuple[Problem | None, bytes | None]:
        """(refusal, None), or (None, the body read) or (None, None): no body, nothing read."""
        if not url_ok(scope):
            return _refusal("url_encoding_invalid"), None
        length: str | None = None
        chunked = False
        for k, v in scope["headers"]:
            if k == b"content-length":
                length = v.decode("latin-1")
            elif k == b"transfer-encoding":
                chunked = True
        if length is None and not chunked:
            return None, None
        declared = 0
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                return _refusal("body_length_invalid"), None
            if declared < 0:
                return _refusal("body_length_invalid"), None
        if not chunked and declared == 0:
            return None, None
        if not self.body_routes(scope["method"], scope["path"]):
            return _refusal("body_not_allowed"), None
        limit = self.body_limits(scope["method"], scope["path"]) or MAX_BODY_BYTES
        if declared > limit:
            return _refusal("body_too_large", limit), None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away: the app sees what arrived and the disconnect
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return _refusal("body_too_large", limit), None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if not _utf8(body) or has_lone_surrogate(body):
            return _refusal("body_encoding_invalid"), None
        if json_too_deep(body):
            return _refusal("body_too_deep"), None
        return None, body


def body_routes_of(app: Any):
    """``(method, path) -> bool``: whether ``app`` has an operation there that declares a body
    (FastAPI's ``body_field``); an unknown path or method takes none."""
    routes = [(r.path_regex, frozenset(r.methods or ())) for r in app.router.routes
              if getattr(r, "body_field", None) is not None]

    def takes_body(method: str, path: str) -> bool:
        return any(method in methods and regex.match(path) for regex, methods in routes)
    return takes_body


def body_limits_of(app: Any):
    """``(method, path) -> int | None``: the body limit an operation declares for itself
    (``x-max-body-bytes`` in its ``openapi_extra``), None for the default ``MAX_BODY_BYTES``."""
    routes = [(r.path_regex, frozenset(r.methods or ()),
               int((getattr(r, "openapi_extra", None) or {}).get("x-max-body-bytes") or 0))
              for r in app.router.routes if getattr(r, "body_field", None) is not None]
    routes = [r for r in routes if r[2]]

    def limit(method: str, path: str) -> int | None:
        return next((n for regex, methods, n in routes
                     if method in methods and regex.match(path)), None)
    return limit
