"""庁内連携の受信 (a division system's reader of its feed, #23 point 5). Exit 0: read and acknowledged.

    python -m tools.renkei_consumer --url https://central.example --division kokuho \\
        --token-file /etc/madoguchi/kokuho.token [--state-file kokuho.state.json] [--values]

Reads the division's events from its last acknowledged cursor (kept in a state file of its own,
written 0600), prints one line per event: the event id, the case's number, the form's title and
its item names; ``--values`` prints the items' values as well (this is the division's own
system: the values are its own business, not the counter's screen). Each page is acknowledged once
printed, so a reader that stops half way reads the rest (and perhaps a page again) next time:
at least once. The token comes from a file, never the command line (a process list shows that).

Talks HTTP only (``/v1/renkei/...``): no import of the centre or of the counter's client.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

import httpx

PAGE = 100


class Refused(Exception):
    """The centre refused a request (its problem code and Japanese text)."""


def _load_state(path: Path) -> int | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise Refused(f"state file {path} cannot be read: {exc}") from None
    cursor = data.get("cursor") if isinstance(data, dict) else None
    if not isinstance(cursor, int) or cursor < 0:
        raise Refused(f"state file {path} holds no cursor")
    return cursor


def _save_state(path: Path, cursor: int) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"cursor": cursor}, f)
    os.replace(tmp, path)


def _answer(r: httpx.Response) -> dict[str, Any]:
    try:
        body = r.json()
    except ValueError:
        body = None
    if r.status_code != 200 or not isinstance(body, dict):
        code = body.get("code") if isinstance(body, dict) else None
        text = body.get("detail_ja") if isinstance(body, dict) else None
        raise Refused(f"{r.status_code} {code or 'invalid_response'}: {text or r.reason_phrase}")
    return body


def line(event: dict[str, Any], values: bool) -> str:
    """One event as a line: id, case, title, the item names (and with ``values``, the values)."""
    items = event.get("items") or {}
    fields = items.get("values") or {}
    names = list(fields) + ([f"rows({len(items['rows'])})"] if items.get("rows") else [])
    out = f"{event['id']}\tcase {event.get('case_id')}\t{event.get('title')}\t{', '.join(names)}"
    if values:
        out += "\t" + json.dumps({"values": fields, "rows": items.get("rows") or []},
                                 ensure_ascii=False, sort_keys=True)
    return out


def consume(client: httpx.Client, division: str, state: Path, values: bool, out: TextIO,
            limit: int = PAGE) -> int:
    """Read and acknowledge every event after the stored cursor; the number read."""
    cursor, count = _load_state(state), 0
    while True:
        params = {"limit": str(limit)}
        if cursor is not None:
            params["after"] = str(cursor)
        page = _answer(client.get(f"/v1/renkei/{division}/events", params=params))
        events = page.get("events") or []
        for event in events:
            print(line(event, values), file=out)
        if not events:
            if cursor is None:
                _save_state(state, int(page.get("next") or 0))
            return count
        cursor = int(page["next"])
        _answer(client.post(f"/v1/renkei/{division}/ack", json={"cursor": cursor}))
        _save_state(state, cursor)
        count += len(events)
        if len(events) < limit:
            return count


def main(argv: list[str] | None = None, transport: httpx.BaseTransport | None = None,
         out: TextIO = sys.stdout) -> int:
    p = argparse.ArgumentParser(prog="renkei_consumer", description=__doc__.split("\n")[0])
    p.add_argument("--url", required=True, help="the central API's base URL")
    p.add_argument("--division", required=True, help="this division's id (e.g. kokuho)")
    p.add_argument("--token-file", required=True, help="file holding the division's token")
    p.add_argument("--state-file", help="where the cursor is kept (default: "
                   "renkei-<division>.state.json in the working directory)")
    p.add_argument("--values", action="store_true",
                   help="print the items' values too (the division's own system)")
    p.add_argument("--limit", type=int, choices=range(1, PAGE + 1), metavar="N", default=PAGE)
    args = p.parse_args(argv)
    try:
        token = Path(args.token_file).read_text(encoding="utf-8").strip()
    except OSError as exc:
        print(f"cannot read the token file: {exc.strerror}", file=sys.stderr)
        return 2
    state = Path(args.state_file or f"renkei-{args.division}.state.json")
    if args.values:
        print("値を表示します（この課のシステム内でのみ使用してください）", file=sys.stderr)
    with httpx.Client(base_url=args.url, transport=transport, timeout=30,
                      headers={"Authorization": f"Bearer {token}"}) as client:
        try:
            n = consume(client, args.division, state, args.values, out, args.limit)
        except Refused as exc:
            print(f"refused: {exc}", file=sys.stderr)
            return 1
        except httpx.TransportError as exc:
            print(f"cannot reach {args.url}: {type(exc).__name__}", file=sys.stderr)
            return 1
    print(f"{n} events read and acknowledged", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
