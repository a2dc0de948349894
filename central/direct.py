"""Direct routes: the few hot GET routes answered ahead of FastAPI's middleware stack and router.

The counter's everyday lookup (``GET /v1/residents``, #2) spent about a fifth of the server's
Python time in Starlette's and FastAPI's layers around the route: five middlewares, the router's
walk over every route, and the request-response wrapper, none of which a lookup uses. A direct
route is still declared on the app as usual (OpenAPI, and the fallback below); ``DirectRoutesApp``
then answers a plain ``GET`` of exactly that path by calling the same route function itself.

What the skipped layers did, and what stands in for it here:

* refusals and errors: an exception from the route goes to the app's own exception handlers, looked
  up by the exception's class as Starlette does (Problem, RequestValidationError). Any other error
  gets the handler of ``Exception`` (the 500 problem) and, once that is sent, is raised again to
  the server, as ServerErrorMiddleware does;
* a request that frames a body (Content-Length or Transfer-Encoding) is not served here but by
  the whole stack; so are HEAD, other methods, a trailing slash and any other path. The request
  guard (guard.py, one of ``ahead``) runs before this dispatch, so a direct route's path and query
  are checked like every other's;
* a route function used this way takes the ``Request`` alone and returns a ``Response``: no
  dependencies, no declared parameters, no response model.
"""
from __future__ import annotations

import inspect
from typing import Any, Awaitable, Callable

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

DirectHandler = Callable[[Request], Awaitable[Response]]


def _handler_for(handlers: dict[Any, Callable], exc: Exception) -> tuple[Callable | None, bool]:
    """The handler registered for the nearest class of ``exc`` (Starlette's lookup), and
    whether it is the last resort (``Exception`` or 500), after which the error is raised again."""
    for cls in type(exc).__mro__:
        if cls is Exception:
            break
        if cls in handlers:
            return handlers[cls], False
    return handlers.get(Exception) or handlers.get(500), True


class _Dispatch:
    """The ASGI entry: a direct route's request, or the rest of the app."""

    def __init__(self, app: FastAPI, stack: ASGIApp) -> None:
        self.app, self.stack = app, stack

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            handler = self.app.direct_routes.get(scope["path"])
            if handler is not None and not any(k in (b"content-length", b"transfer-encoding")
                                               for k, _ in scope["headers"]):
                await self._serve(handler, scope, receive, send)
                return
        await self.stack(scope, receive, send)

    async def _serve(self, handler: DirectHandler, scope: Scope, receive: Receive,
                     send: Send) -> None:
        request = Request(scope, receive)
        try:
            response = await handler(request)
        except Exception as exc:  # what ExceptionMiddleware and ServerErrorMiddleware did
            answer, last_resort = _handler_for(self.app.exception_handlers, exc)
            if answer is None:
                raise
            response = answer(request, exc)
            if inspect.isawaitable(response):
                response = await response
            await response(scope, receive, send)
            if last_resort:
                raise
            return
        await response(scope, receive, send)


class DirectRoutesApp(FastAPI):
    """A FastAPI app whose ``direct_routes`` (path -> route function) are served by ``_Dispatch``
    ahead of its middleware stack; the stack itself is built as FastAPI builds it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.direct_routes: dict[str, DirectHandler] = {}
        # Layers ahead of everything, the direct routes included (innermost first): each takes
        # the app and the stack it wraps (the request guard, guard.py).
        self.ahead: list[Callable[[FastAPI, ASGIApp], ASGIApp]] = []

    def direct_get(self, path: str, handler: DirectHandler) -> None:
        """Serve a plain GET of ``path`` with ``handler``, a route already declared on the app."""
        if not any(getattr(r, "path", None) == path and "GET" in getattr(r, "methods", ())
                   for r in self.routes):
            raise ValueError(f"{path} is not a declared GET route")
        self.direct_routes[path] = handler

    def build_middleware_stack(self) -> ASGIApp:
        stack: ASGIApp = _Dispatch(self, super().build_middleware_stack())
        for layer in self.ahead:
            stack = layer(self, stack)
        return stack
