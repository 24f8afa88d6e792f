"""The waitress server, with its own error responses made the way the app makes them.

Waitress answers some requests without calling the app: a malformed request (400, 431, 413,
501) and an app that failed before sending a byte (500). Its plain-text answers carry none of
the app's headers; these carry the security headers and are HTML, or JSON under ``/api/``
and ``/healthz``, like every other error.
"""

from __future__ import annotations

import html
import json
from typing import Any

from waitress import create_server as waitress_server
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.task import ErrorTask

from web.errors import answers_json
from web.headers import SECURITY_HEADERS

_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{title}</title></head>
<body><main><h1>{title} <span class="code">({code})</span></h1><p>{message}</p>
<p><a href="/">Start a new search</a>.</p></main></body>
</html>
"""
_MESSAGES = {
    500: "Something went wrong on our side.",
    400: "The server could not read this request.",
}


def error_body(code: int, reason: str, path: str) -> tuple[str, bytes]:
    """The content type and body of an error: JSON under /api/ and /healthz, else a page."""
    message = _MESSAGES.get(code, reason)
    if answers_json(path):
        data = {"error": reason, "message": message, "status": code}
        return "application/json", json.dumps(data).encode()
    page = _PAGE.format(title=html.escape(reason), code=code, message=html.escape(message))
    return "text/html; charset=utf-8", page.encode()


class SafeErrorTask(ErrorTask):
    """Waitress's error response, with the security headers and the app's kind of body."""

    def execute(self) -> None:
        error = self.request.error
        # Waitress makes a fresh request for its 500s: the channel remembers the path.
        path = getattr(self.request, "path", None) or getattr(self.channel, "last_path", "")
        path = path if isinstance(path, str) else ""  # unset when the request line was bad
        content_type, body = error_body(error.code, error.reason, path)
        self.status = f"{error.code} {error.reason}"
        self.response_headers.append(("Content-Type", content_type))
        self.response_headers.extend(SECURITY_HEADERS.items())
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class SafeChannel(HTTPChannel):
    """A waitress connection whose server-made errors are ``SafeErrorTask``s."""

    error_task_class = SafeErrorTask
    last_path = ""  # the path of the request being served

    def service(self) -> None:
        self.last_path = getattr(self.requests[0], "path", "") if self.requests else ""
        super().service()


def create_server(app: Any, **kwargs: Any) -> Any:
    """``waitress.create_server`` whose connections answer errors like the app does."""
    server = waitress_server(app, **kwargs)
    listeners = [server] if isinstance(server, BaseWSGIServer) else list(server.map.values())
    for listener in listeners:
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = SafeChannel
    return server
