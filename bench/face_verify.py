"""Face verification (AUTH-1): time per attempt and false-accept / false-reject rates on the
project's generated evaluation set.

    .venv/bin/python -m bench.face_verify [--identities 101] [--probes 5] [--seed 1] [--no-write]

Pipeline measured: the shipped provider (drivers/camera/recognition.py: OpenCV res10 SSD detection,
quality grading, dlib 5-point alignment, dlib ResNet v1 128-d embedding) and the server's decision
(central/biometrics.FaceMatcher: distance to the centroid of the enrolled captures, threshold from
central/config.py).

Evaluation set (testbed/camera/face_set.py, generated in memory, nothing saved): identities = the
virtual camera's operator (astronaut) + the first N-1 LFW crops of scikit-image. Each identity is
enrolled from 4 renderings (plain + 3 mild variants) and probed with ``--probes`` random variants
(scale 100–200 px, gain 0.65–1.25, offset ±20, blur σ 0/0.8/1.5, rotation ±10°, noise σ 1–6).
Genuine attempts: a probe against its own identity's template; impostor attempts: every probe
against every other identity's template. Probes that fail the quality gate are reported as
failure-to-acquire (the clerk is asked to retry; no attempt reaches the server).

The limits are large and are printed with the figures: see face_set.py's docstring.
"""
from __future__ import annotations

import argparse
import math
import shlex
import statistics
import sys
import time

import cv2
import numpy as np

from bench import common

SECTION = "face_verify"


def _ms(v: float) -> str:
    return f"{v * 1000:.1f} ms"


def _pct(n: int, d: int) -> str:
    return f"{100.0 * n / d:.2f} % ({n}/{d})" if d else "– (0)"


def run(identities: int, probes: int, seed: int, thresholds: list[float]):
    from central.biometrics import FaceMatcher
    from drivers.camera.recognition import FaceEncoder
    from testbed.camera import face_set

    cv2.setNumThreads(1)
    enc = FaceEncoder()
    matcher = FaceMatcher()
    rng = np.random.default_rng(seed)
    ids = face_set.identities()[:identities]
    templates: dict[int, bytes] = {}
    probe_vecs: dict[int, list[list[float]]] = {}
    extract_times: list[float] = []
    fta = enrol_rejected = 0
    reasons: dict[str, int] = {}
    total_probes = 0
    for ident in ids:
        caps = []
        for k in range(4):
            v = face_set.Variant() if k == 0 else face_set.Variant(
                width=int(rng.integers(130, 180)), gain=float(rng.uniform(0.85, 1.1)),
                angle=float(rng.uniform(-4, 4)))
            s = enc.analyse(face_set.frame(ident, rng, v))
            if s.embedding is not None:
                caps.append([float(x) for x in s.embedding])
        check = matcher.check_enrolment(caps)
        if not check.ok:  # mostly: fewer than 3 renderings passed the quality gate (LFW blur)
            enrol_rejected += 1
            reasons[check.message] = reasons.get(check.message, 0) + 1
            continue
        templates[ident] = matcher.pack(caps)
        probe_vecs[ident] = []
        for _ in range(probes):
            frame = face_set.frame(ident, rng, face_set.Variant.random(rng))
            t0 = time.perf_counter()
            s = enc.analyse(frame)
            extract_times.append(time.perf_counter() - t0)
            total_probes += 1
            if s.embedding is None:
                fta += 1
                continue
            probe_vecs[ident].append([float(x) for x in s.embedding])

    # Centroids once; the decision is the server's score() (timed on its own).
    genuine: list[float] = []
    impostor: list[tuple[int, int, float]] = []
    compare_times: list[float] = []
    for owner, vecs in probe_vecs.items():
        for vec in vecs:
            t0 = time.perf_counter()
            genuine.append(matcher.score(templates[owner], vec))
            compare_times.append(time.perf_counter() - t0)
            for other, tpl in templates.items():
                if other != owner:
                    impostor.append((owner, other, matcher.score(tpl, vec)))
    rates = []
    for th in thresholds:
        fr = sum(1 for d in genuine if d > th)
        fa = sum(1 for _o, _t, d in impostor if d <= th)
        fa_op = sum(1 for o, t, d in impostor if d <= th and face_set.ASTRONAUT in (o, t))
        n_op = sum(1 for o, t, _d in impostor if face_set.ASTRONAUT in (o, t))
        rates.append((th, fr, len(genuine), fa, len(impostor), fa_op, n_op))
    return {
        "identities": len(ids), "enrolled": len(templates), "enrol_rejected": enrol_rejected,
        "reasons": reasons,
        "probes": total_probes, "fta": fta, "extract": sorted(extract_times),
        "compare": sorted(compare_times), "genuine": sorted(genuine),
        "impostor_min": min((d for *_x, d in impostor), default=math.nan), "rates": rates,
        "model": f"{enc.detector.model}; dlib {__import__('dlib').__version__} 5-point + "
                 "ResNet v1 (face-recognition-models 0.3.0)",
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="bench.face_verify", description=__doc__.splitlines()[0])
    parser.add_argument("--identities", type=int, default=101, help="astronaut + N-1 LFW crops")
    parser.add_argument("--probes", type=int, default=5, help="probe variants per identity")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-write", action="store_true",
                        help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    from central.config import Settings

    product = Settings.__dataclass_fields__["face_threshold"].default
    r = run(args.identities, args.probes, args.seed, sorted({product, 0.4, 0.6}))
    ex, cmp_ = r["extract"], r["compare"]
    command = " ".join([".venv/bin/python -m bench.face_verify", *map(shlex.quote, argv)])
    lines = common.section_head("## Face verification (issue #6, AUTH-1)", command)
    lines += [
        f"Models: {r['model']}. OpenCV with `cv2.setNumThreads(1)`.",
        "",
        f"Set: {r['identities']} identities (astronaut = the virtual camera's operator, and LFW "
        f"crops), {r['enrolled']} enrolled (4 renderings each; {r['enrol_rejected']} refused by "
        f"the enrolment checks: "
        f"{', '.join(f'{k} ×{v}' for k, v in r['reasons'].items()) or 'none'}), {r['probes']} probes ({args.probes} random variants each), "
        f"{len(r['genuine'])} genuine and {sum(x[4] for x in r['rates'][:1])} impostor attempts.",
        "",
        common.md_table(["measure", "median", "p95", "max"], [
            ["one attempt on the terminal: detect + grade + align + embed (640×480)",
             _ms(statistics.median(ex)), _ms(common.percentile(ex, 95)), _ms(ex[-1])],
            ["server decision: distance to the template's centroid (AES-GCM decryption not included)",
             _ms(statistics.median(cmp_)), _ms(common.percentile(cmp_, 95)), _ms(cmp_[-1])],
        ], align="lrrr"),
        "",
        f"Failure to acquire (probe refused by the quality gate, retried, no attempt sent): "
        f"{_pct(r['fta'], r['probes'])}.",
        "",
        common.md_table(["threshold", "FRR (genuine rejected)", "FAR (impostor accepted)",
                         "FAR, pairs with the operator"], [
            [f"{th:.2f}" + (" (product)" if th == product else ""), _pct(fr, ng), _pct(fa, ni),
             _pct(fao, nop)] for th, fr, ng, fa, ni, fao, nop in r["rates"]], align="llll"),
        "",
        f"Genuine distances: median {statistics.median(r['genuine']):.3f}, max "
        f"{r['genuine'][-1]:.3f}; closest impostor {r['impostor_min']:.3f}.",
        "",
        "**How limited this is.** A genuine pair here is two renderings of *one photograph*: pose, "
        "expression, age, glasses, hair and lighting direction never change, so the FRR is far "
        "better than at a real counter. The LFW crops are 25×25 grey images upscaled ×6, which "
        "blurs identities together, and every crop is taken as a different person although LFW "
        "repeats people (the subset ships no labels), so LFW-vs-LFW FAR is pessimistic. A hundred "
        "identities cannot show a FAR below about 1 in 50,000 attempts. Nothing here measures "
        "presentation attacks (a printed photo or a phone screen): there is no liveness check. "
        "Field figures need real enrolment and login captures from the counters.",
    ]
    common.publish(SECTION, "\n".join(lines), args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
