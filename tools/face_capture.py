"""``python -m tools.face_capture``: face features for an enrolment from the command line (AUTH-1, #21).

The first security administrator cannot be enrolled on the admin page (nobody is there yet to log
in), so IT enrols them at set-up: this command turns photographs of the person (``--image``, several)
or frames of a camera on this machine (``--camera N``) into the wire features the terminal would
send — 128-number embeddings, never an image — and writes them to a file for
``madoguchi-central enrol-face``. The file is the person's biometric features: it is written for this
user only (mode 600), and ``enrol-face`` deletes it once the template is stored.

Each capture is checked as at the counter (one face, large and sharp enough); a capture that fails
is named with the reason and not used.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def _images(paths: list[str]) -> list[tuple[str, object]]:
    import cv2

    found = []
    for p in paths:
        image = cv2.imread(p)
        if image is None:
            raise SystemExit(f"face_capture: {p} is not an image that can be read")
        found.append((p, image))
    return found


def _camera(index: int, count: int) -> list[tuple[str, object]]:
    from drivers.camera.sources import DeviceSource

    source = DeviceSource(index)
    if not source.open():
        raise SystemExit(f"face_capture: camera {index} cannot be opened")
    try:
        frames = []
        for n in range(count * 3):  # some frames will not qualify (blink, movement)
            frame = source.read()
            if frame is None:
                raise SystemExit(f"face_capture: camera {index} gave no frame")
            frames.append((f"camera {index} frame {n}", frame.image))
        return frames
    finally:
        source.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.face_capture", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--image", action="append", help="a photograph of the person (repeat)")
    src.add_argument("--camera", type=int, help="a camera index on this machine")
    p.add_argument("--count", type=int, default=5, help="captures to keep (default 5)")
    p.add_argument("--out", required=True, help="the features file for enrol-face")
    args = p.parse_args(argv)

    from drivers.camera.recognition import MODEL_ID, FaceProvider

    captures = _images(args.image) if args.image else _camera(args.camera, args.count)
    provider = FaceProvider()
    kept: list[str] = []
    for name, image in captures:
        sample = provider.sample(image)
        if sample.features is None:
            print(f"{name}: not used ({', '.join(sample.quality.issues)})", file=sys.stderr)
            continue
        kept.append(sample.features)
        if len(kept) == args.count:
            break
    if not kept:
        print("face_capture: no capture shows one clear face; nothing written", file=sys.stderr)
        return 1
    out = Path(args.out)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"provider": "face", "model": MODEL_ID, "captures": kept}, f)
    print(f"{len(kept)} captures written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
