"""The client's command line (起動オプション): ``python -m ui.main [options]``, parsed and checked
here (what may be combined with ``--demo``, the camera choice). No Qt; ``ui.main`` acts on it."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="madoguchi",
        description="窓口端末 — Madoguchi counter terminal",
    )
    parser.add_argument("--central-url", help="central API base URL, e.g. https://central.example:8443")
    parser.add_argument("--device-id", help="this terminal's device id (端末ID)")
    parser.add_argument("--device-key", type=Path, help="PEM (PKCS#8) Ed25519 private key of this terminal")
    parser.add_argument("--demo", action="store_true", help="start an embedded demo central API")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="demo mode: data directory of the embedded central (default ~/.local/share/madoguchi-demo)",
    )
    parser.add_argument("--screenshot", type=Path, help="save a PNG of the window after the first health check, then quit")
    parser.add_argument("--lang", choices=("ja", "en"), default="ja", help="UI language (default: ja)")
    parser.add_argument("--health-interval", type=float, default=15.0, help="seconds between connectivity checks")
    parser.add_argument(
        "--camera",
        default="auto",
        help="onlooker camera: auto (device 0, else the virtual camera in demo mode), synthetic, device:N, none",
    )
    parser.add_argument(
        "--card",
        choices=("auto", "pcsc", "virtual", "none"),
        default="auto",
        help="card reader: auto (a PC/SC reader if present, else the virtual card in demo mode), pcsc, virtual, none",
    )
    parser.add_argument(
        "--card-reader",
        default=None,
        help="preferred PC/SC reader (part of its name) when several are attached",
    )
    parser.add_argument(
        "--card-keys",
        type=Path,
        default=None,
        help="JSON file of pinned card-issuer public keys (AKI → PEM) to verify the DF33 signature",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help="directory of the encrypted session cache (default ~/.cache/madoguchi/session; demo: inside --data-dir)",
    )
    parser.add_argument(
        "--terminal-config", type=Path, default=None,
        help="production: the municipality-signed terminal configuration "
             "(default $MADOGUCHI_TERMINAL_CONFIG or /etc/madoguchi/terminal.json)")
    parser.add_argument(
        "--config-trust-key", type=Path, default=None,
        help="production: the municipality's Ed25519 public key that signs the configuration "
             "(default $MADOGUCHI_CONFIG_TRUST_KEY or /etc/madoguchi/municipality.pub)")
    parser.add_argument("--self-test", action="store_true",
                        help="check that this installation can run (offscreen; no network), then exit")
    return parser


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:
        return args
    if args.demo:
        if args.central_url or args.device_id or args.device_key or args.terminal_config:
            parser.error("--demo cannot be combined with --central-url/--device-id/--device-key/--terminal-config")
    else:
        # Production: the central URL and device id come from the signed terminal configuration
        # (#9); --central-url/--device-id, if given, must repeat what it says.
        if args.data_dir is not None:
            parser.error("--data-dir is only for --demo")
    camera = (args.camera or "").strip().lower()
    if not (camera in ("auto", "synthetic", "virtual", "none")
            or (camera.startswith("device:") and camera[7:].isdigit())):
        parser.error(f"--camera {args.camera!r}: use auto, synthetic, device:N or none")
    return args
