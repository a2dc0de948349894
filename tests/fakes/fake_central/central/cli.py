"""A tiny stand-in for ``python -m central.cli demo`` (tests only).

Put ``tests/fakes/fake_central`` first on PYTHONPATH and this package shadows
the real ``central``. It speaks just enough of the central API for the client
shell (health, sessions, residents), verifies the device signature with its
own implementation of the scheme, and leaves marker files in the data dir:

- ``fake-central-started``  the process ran
- ``requests.log``          one line per verified request: METHOD PATH
- ``fake-central-stopped``  it got SIGTERM and exited
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import secrets
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

DEVICE_ID = "FAKE-TERMINAL-01"
OPERATORS = {"clerk01": ("demo-pass-1", "窓口 花子", "clerk")}
# What the real centre's login answers for a clerk (central.rights.actions_for), written out here
# because this package shadows ``central`` and cannot import it.
CLERK_ACTIONS = ("certificate.issue", "changes.read", "idou.submit", "resident.read", "resident.search",
                 "support.decision.request", "tax.certificate.issue", "tax.filing.check",
                 "tax.filing.submit", "tax.inquiry")
RESIDENTS = [
    {
        "id": 1,
        "juminhyo_code": "12345678901",
        "name_kanji": "山田 太郎",
        "name_kana": "ヤマダ タロウ",
        "birth_date": "1980-04-01",
        "sex": "male",
        "address": "架空県見本市中央町1-2-3",
        "katagaki": None,
        "status": "current",
        "my_number": "************",
        "my_number_disclosed": False,
        "support_measure": True,
        "version": 1,
    }
]


def problem(status: int, code: str, title: str, detail_ja: str) -> dict:
    return {
        "type": f"https://madoguchi.invalid/problems/{code}",
        "title": title,
        "status": status,
        "detail": title,
        "code": code,
        "title_ja": detail_ja,
        "detail_ja": detail_ja,
    }


def make_handler(public_key, data_dir: Path, tokens: set[str]):
    log_lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output quiet
            pass

        def _send(self, status: int, body: dict | None, problem_json: bool = False) -> None:
            payload = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            if body is not None:
                ctype = "application/problem+json" if problem_json else "application/json"
                self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _verify(self, body: bytes) -> bool:
            parts = urlsplit(self.path)
            timestamp = self.headers.get("X-Device-Timestamp", "")
            authorization = self.headers.get("Authorization", "")
            message = "\n".join(
                [
                    "MADOGUCHI-DEVICE-V2",
                    self.command.upper(),
                    unquote(parts.path),
                    parts.query,
                    timestamp,
                    self.headers.get("X-Device-Nonce", ""),
                    self.headers.get("Idempotency-Key", ""),
                    hashlib.sha256(authorization.encode("latin-1")).hexdigest() if authorization else "",
                    hashlib.sha256(body).hexdigest(),
                ]
            ).encode()
            try:
                if self.headers.get("X-Device-Id") != DEVICE_ID:
                    return False
                if abs(time.time() - int(timestamp)) > 300:
                    return False
                public_key.verify(base64.b64decode(self.headers.get("X-Device-Signature", "")), message)
            except (InvalidSignature, ValueError):
                return False
            with log_lock, open(data_dir / "requests.log", "a", encoding="utf-8") as fh:
                fh.write(f"{self.command} {parts.path}\n")
            return True

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if not self._verify(body):
                self._send(401, problem(401, "device_signature_invalid", "Bad device signature", "端末署名が正しくありません"), True)
                return
            parts = urlsplit(self.path)
            route = (self.command, parts.path)
            if route == ("GET", "/v1/health"):
                self._send(200, {"status": "ok", "version": "fake"})
            elif route == ("POST", "/v1/sessions"):
                data = json.loads(body or b"{}")
                op = OPERATORS.get(data.get("login_id"))
                if op is None or data.get("password") != op[0]:
                    self._send(401, problem(401, "login_failed", "Login failed", "職員IDまたはパスワードが違います"), True)
                    return
                token = secrets.token_urlsafe(16)
                tokens.add(token)
                self._send(
                    201,
                    {
                        "token": token,
                        "expires_at": "2099-01-01T00:00:00+00:00",
                        "operator": {"login_id": data["login_id"], "display_name": op[1]},
                        "rights": [{"right": op[2], "valid_until": "2099-03-31"}],
                        "actions": {action: "2099-03-31" for action in CLERK_ACTIONS},
                        "policy": {"idle_lock_minutes": 5, "max_session_minutes": 480},
                        "pending_factors": [],
                    },
                )
            elif not self._authorized():
                self._send(401, problem(401, "session_required", "Login required", "ログインしてください"), True)
            elif route == ("DELETE", "/v1/sessions/current"):
                tokens.discard(self.headers["Authorization"].split(" ", 1)[1])
                self._send(204, None)
            elif route == ("GET", "/v1/residents"):
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if not query.get("purpose"):
                    self._send(422, problem(422, "purpose_required", "Purpose required", "利用目的を選択してください"), True)
                elif sum(1 for k in ("juminhyo_code", "name", "address", "birth_date") if query.get(k)) < 2:
                    self._send(422, problem(422, "search_needs_two_keys", "Two keys needed", "検索条件を2つ以上入力してください"), True)
                else:
                    self._send(200, {"items": RESIDENTS, "count": len(RESIDENTS)})
            else:
                self._send(404, problem(404, "not_found", "Not found", "見つかりません"), True)

        def _authorized(self) -> bool:
            auth = self.headers.get("Authorization", "")
            return auth.startswith("Bearer ") and auth.split(" ", 1)[1] in tokens

        do_GET = do_POST = do_DELETE = _handle

    return Handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fake-central")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo")
    demo.add_argument("--data-dir", type=Path, required=True)
    demo.add_argument("--ready-file", type=Path, required=True)
    demo.add_argument("--demo-faces", type=Path)
    args = parser.parse_args(argv)

    data_dir: Path = args.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "fake-central-started").write_text(str(os.getpid()))
    if os.environ.get("FAKE_CENTRAL_FAIL"):
        print("fake central: failing on purpose", file=sys.stderr)
        return 3

    key = Ed25519PrivateKey.generate()
    key_file = data_dir / "device-key.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(key.public_key(), data_dir, set()))
    server.daemon_threads = True

    def on_term(*_):
        (data_dir / "fake-central-stopped").write_text("SIGTERM")
        os._exit(0)

    signal.signal(signal.SIGTERM, on_term)

    ready = {
        "url": f"http://127.0.0.1:{server.server_address[1]}",
        "device_id": DEVICE_ID,
        "device_key_file": str(key_file),
        "demo_operators": [{"login_id": k, "password": v[0], "role": v[2]} for k, v in OPERATORS.items()],
    }
    tmp = args.ready_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(ready, ensure_ascii=False), encoding="utf-8")
    tmp.replace(args.ready_file)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
