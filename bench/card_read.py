"""Card read benchmark (issue #4) → the ``card_read`` section of BENCHMARKS.md.

Reads 4情報 + My Number + the DF31/DF32 digests (one PIN VERIFY) through the real stack — pyscard →
pcscd → vsmartcard-vpcd → our virtual My Number card over TCP — with the card taking 20 ms per APDU,
and compares the time with (APDU count × 20 ms) measured in the same run: the card's own time,
summed from inside the card. Target: ratio ≤ 1.1. Also reports the stack's own cost per APDU with no
injected delay, and our APDU count beside jpki/myna's sequence for the same data.

    .venv/bin/python -m bench.card_read [--runs 9] [--delay-ms 20] [--no-write]

Needs root (pcscd on the system socket) and the Debian packages pcscd and vsmartcard-vpcd, which
scripts/setup.sh installs; the stack is the one the card tests use (testbed/stacks/pcscd.py).
"""
from __future__ import annotations

import argparse
import shlex
import statistics
import sys
import threading
import time

from bench import common

SECTION = "card_read"

# jpki/myna (github.com/jpki/myna, libmyna/api.go GetMyNumber + GetAttrInfo, and
# libmyna/card_input_helper_ap.go): each call selects the text AP, selects EF 00 11 and VERIFYs,
# then My Number = SELECT EF 00 01 + READ BINARY; 4情報 = SELECT EF 00 02 + READ BINARY (7) +
# READ BINARY (length). Two calls, two VERIFYs, no digest check.
MYNA_SEQUENCE = (
    ("GetMyNumber", ["SELECT text AP", "SELECT EF 0011", "VERIFY", "SELECT EF 0001", "READ BINARY"]),
    ("GetAttrInfo", ["SELECT text AP", "SELECT EF 0011", "VERIFY", "SELECT EF 0002",
                     "READ BINARY (7)", "READ BINARY (len)"]),
)


class TimedCard:
    """Wraps the virtual card's APDU handler to add up the time spent inside the card."""

    def __init__(self, card) -> None:  # type: ignore[no-untyped-def]
        self.card = card
        self.inner = card.handle
        self.spent = 0.0
        self.count = 0
        self.lock = threading.Lock()
        card.handle = self.handle

    def handle(self, apdu: bytes) -> bytes:
        t0 = time.perf_counter()
        try:
            return self.inner(apdu)
        finally:
            with self.lock:
                self.spent += time.perf_counter() - t0
                self.count += 1

    def reset(self) -> None:
        with self.lock:
            self.spent, self.count = 0.0, 0


def measure(stack, delay: float, runs: int) -> dict:  # type: ignore[no-untyped-def]
    from drivers.card.pcsc import PcscCardReader
    from drivers.card.virtual import Person, VirtualMyNumberCard
    from testbed.stacks.pcscd import wait_card_state

    person = Person()
    card = VirtualMyNumberCard(person, delay=delay)
    timed = TimedCard(card)
    vc = stack.insert(card, slot=0)
    try:
        wait_card_state(stack.readers[0], present=True)
        reader = PcscCardReader(reader=stack.readers[0])

        def read():  # type: ignore[no-untyped-def]
            return reader.run(lambda c: c.read_text_ap(person.pin, include_my_number=True))

        read()  # warm-up (first connect)
        totals, card_times, apdus = [], [], []
        for _ in range(runs):
            card.reset()
            timed.reset()
            t0 = time.perf_counter()
            result = read()
            totals.append(time.perf_counter() - t0)
            card_times.append(timed.spent)
            apdus.append(timed.count)
            assert result.basic_info.digests_verified and result.my_number is not None
        return {"total": totals, "card": card_times, "apdus": apdus}
    finally:
        vc.remove()
        wait_card_state(stack.readers[0], present=False)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="bench.card_read", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--delay-ms", type=float, default=20.0)
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)

    from testbed.stacks import pcscd as ps

    stack = ps.make_stack()
    stack.start()
    try:
        slow = measure(stack, args.delay_ms / 1000.0, args.runs)
        fast = measure(stack, 0.0, args.runs)
    finally:
        ps.cleanup(stack)

    apdus = statistics.median(slow["apdus"])
    total = statistics.median(slow["total"])
    nominal = apdus * args.delay_ms / 1000.0
    in_card = statistics.median(slow["card"])
    ratio = total / nominal
    fast_total = statistics.median(fast["total"])
    per_apdu_ms = fast_total / statistics.median(fast["apdus"]) * 1000
    myna_count = sum(len(steps) for _name, steps in MYNA_SEQUENCE)

    command = " ".join([".venv/bin/python -m bench.card_read", *map(shlex.quote, argv)])
    verdict = "**met**" if ratio <= 1.1 else "**NOT met**"
    lines = common.section_head("## Card read through PC/SC (issue #4)", command)
    lines += [
        f"One read of 基本4情報 + My Number + DF31/DF32 digests after one PIN VERIFY, through pyscard → "
        f"pcscd → vsmartcard-vpcd → the project's virtual card (TCP on 127.0.0.1); {args.runs} runs, "
        "medians. The card sleeps the injected delay in every APDU; its own time is summed inside the "
        "card in the same run.",
        "",
        common.md_table(["measure", "value", "target", "verdict"], [
            ["APDUs per read (ours)", f"{apdus:g}", "", ""],
            [f"read time with {args.delay_ms:g} ms per APDU", f"{total * 1000:.0f} ms", "", ""],
            [f"APDU count × {args.delay_ms:g} ms", f"{nominal * 1000:.0f} ms", "", ""],
            ["time spent inside the card (measured)", f"{in_card * 1000:.0f} ms", "", ""],
            ["ratio read time / (APDUs × delay)", f"{ratio:.3f}", "≤ 1.1", verdict],
            ["stack cost per APDU, no injected delay", f"{per_apdu_ms:.2f} ms", "", ""],
            ["runs (read time, ms)", ", ".join(f"{t * 1000:.0f}" for t in slow["total"]), "", ""],
        ], align="lrll"),
        "",
        f"jpki/myna reads the same data with {myna_count} APDUs and two PIN VERIFYs "
        "(`GetMyNumber` + `GetAttrInfo` in `libmyna/api.go`: each selects the AP and EF 00 11 and "
        "VERIFYs; 4情報 take a 7-byte READ BINARY for the length, then the rest) and does not read or "
        f"check the EF 00 03 digests. Ours: {apdus:g} APDUs with one VERIFY, including the digest "
        "file and its check, because the PIN is verified once per resident action (never retried).",
    ]
    common.publish(SECTION, "\n".join(lines), args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
