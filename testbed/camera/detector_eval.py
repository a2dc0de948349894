"""Detector accuracy and speed on synthetic counter scenes (in memory; nothing is written).

    python -m testbed.camera.detector_eval [--frames N] [--seed S] [--threads T]

For each detector: ms per 640×480 frame, operator recall, onlooker recall, alarm rate (≥ 2 faces) on
frames with one onlooker / two onlookers, false alarms on operator-only frames, and any face on empty
frames. A detection matches a ground-truth face when its centre lies within half the true width of
the true centre (both axes) and its width is 0.5–2× the true width.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass, field

import cv2
import numpy as np

from drivers.camera.detectors import Face, FaceDetector, available_detectors
from drivers.camera.synthetic import Scene, TruthFace, render_scene

CLASSES = ("operator", "one_onlooker", "two_onlookers", "empty")
WIDTH_BUCKETS = {"40-65": (40, 65), "65-85": (65, 85), "85-125": (85, 125)}  # onlooker face width, px


def _bucket(width: int) -> str | None:
    return next((b for b, (lo, hi) in WIDTH_BUCKETS.items() if lo <= width < hi), None)


def matches(face: Face, truth: TruthFace) -> bool:
    cx, cy = face.x + face.w / 2, face.y + face.h / 2
    tx, ty = truth.x + truth.w / 2, truth.y + truth.h / 2
    return (abs(cx - tx) <= truth.w / 2 and abs(cy - ty) <= truth.w / 2
            and 0.5 <= face.w / truth.w <= 2.0)


def scene_for(kind: str, rng: np.random.Generator) -> Scene:
    onlookers = {"operator": 0, "one_onlooker": 1, "two_onlookers": 2, "empty": 0}[kind]
    return Scene(
        operator=kind != "empty",
        onlookers=onlookers,
        operator_face_width=int(rng.integers(110, 151)),
        onlooker_face_width=int(rng.integers(45, 111)),
        gain=float(rng.uniform(0.6, 1.1)),
        onlooker_ids=tuple(int(i) for i in rng.choice(100, size=3, replace=False)),
    )


def make_frames(per_class: int, seed: int = 0) -> list[tuple[str, np.ndarray, list[TruthFace]]]:
    rng = np.random.default_rng(seed)
    frames = []
    for kind in CLASSES:
        for _ in range(per_class):
            scene = scene_for(kind, rng)
            image, truth = render_scene(scene, rng, seed=int(rng.integers(0, 20)))
            frames.append((kind, image, truth))
    return frames


@dataclass
class Report:
    detector: str
    model: str
    ms: list[float] = field(default_factory=list)
    operator_hits: int = 0
    operators: int = 0
    onlooker_hits: int = 0
    onlookers: int = 0
    by_width: dict[str, list[int]] = field(default_factory=lambda: {b: [0, 0] for b in WIDTH_BUCKETS})
    alarms: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CLASSES, 0))
    frames: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CLASSES, 0))

    def rate(self, kind: str) -> float:
        return self.alarms[kind] / max(1, self.frames[kind])

    @property
    def operator_recall(self) -> float:
        return self.operator_hits / max(1, self.operators)

    @property
    def onlooker_recall(self) -> float:
        return self.onlooker_hits / max(1, self.onlookers)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.ms)

    @property
    def p95_ms(self) -> float:
        return float(np.percentile(self.ms, 95))

    def line(self) -> str:
        return (f"{self.detector:10s} {self.median_ms:6.1f} ms (p95 {self.p95_ms:5.1f})  "
                f"operator {self.operator_recall:5.1%}  onlooker {self.onlooker_recall:5.1%}  "
                f"alarm 1 onl. {self.rate('one_onlooker'):5.1%}  alarm 2 onl. {self.rate('two_onlookers'):5.1%}  "
                f"false alarm {self.rate('operator'):5.1%}  face on empty {self.rate('empty'):5.1%}")


def evaluate(detector: FaceDetector, frames) -> Report:
    report = Report(detector.name, detector.model)
    for kind, image, truth in frames:
        t0 = time.perf_counter()
        faces = detector.detect(image)
        report.ms.append((time.perf_counter() - t0) * 1000)
        report.frames[kind] += 1
        alarm = len(faces) >= 1 if kind == "empty" else len(faces) >= 2
        report.alarms[kind] += int(alarm)
        for t in truth:
            hit = any(matches(f, t) for f in faces)
            if t.role == "operator":
                report.operators += 1
                report.operator_hits += int(hit)
            elif t.role == "onlooker":
                report.onlookers += 1
                report.onlooker_hits += int(hit)
                bucket = _bucket(t.w)
                if bucket:
                    report.by_width[bucket][0] += int(hit)
                    report.by_width[bucket][1] += 1
    return report


LATENCY_TIMELINE = (
    ("alone", 25, Scene()),
    ("onlooker", 25, Scene(onlookers=1, onlooker_face_width=90)),
    ("left", 40, Scene()),
    ("covered", 10, Scene(condition="covered")),
    ("back", 10, Scene()),
    ("frozen", 10, Scene(condition="frozen")),
    ("end", 10, Scene()),
)


def scripted_latencies(detector: FaceDetector, policy, observation_type, *, fps: float = 5.0,
                       seed: int = 3) -> dict[str, float | None]:
    """Runs LATENCY_TIMELINE (scripted timestamps) through health check → detector → ``policy``.

    Returns, per event, the scripted seconds from the event's first frame to the policy's reaction:
    ``onlooker`` → SHIELD, ``left`` → CLEAR, ``covered`` / ``frozen`` → SHIELD. ``policy`` and
    ``observation_type`` are the caller's (``app.onlooker``'s, with the settings under test).
    """
    from drivers.camera.health import HealthChecker
    from drivers.camera.sources import process_frame
    from drivers.camera.synthetic import SyntheticSceneSource

    source = SyntheticSceneSource([(n, scene) for _, n, scene in LATENCY_TIMELINE], fps=fps, seed=seed)
    starts, t0 = {}, 0.0
    for name, n, _ in LATENCY_TIMELINE:
        starts[name] = t0
        t0 += n / fps
    checker = HealthChecker()
    log = []
    while (frame := source.read()) is not None:
        r = process_frame(frame, detector, checker)
        d = policy.observe(observation_type(r.timestamp, r.faces, fault=r.health.fault, frame_width=r.width))
        log.append((r.timestamp, d.action.value))

    def first(after: float, until: float, action: str) -> float | None:
        return next((round(t - after, 3) for t, a in log if after <= t < until and a == action), None)

    names = [name for name, _, _ in LATENCY_TIMELINE]
    ends = {name: starts[names[i + 1]] if i + 1 < len(names) else t0 for i, name in enumerate(names)}
    return {
        "onlooker_to_shield": first(starts["onlooker"], ends["onlooker"], "shield"),
        "left_to_clear": first(starts["left"], ends["left"], "clear"),
        "covered_to_shield": first(starts["covered"], ends["covered"], "shield"),
        "frozen_to_shield": first(starts["frozen"], ends["frozen"], "shield"),
        "false_shields_while_alone": sum(1 for t, a in log if t < starts["onlooker"] and a != "clear"),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frames", type=int, default=60, help="frames per class")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="cv2.setNumThreads")
    args = parser.parse_args(argv)
    cv2.setNumThreads(args.threads)
    frames = make_frames(args.frames, args.seed)
    print(f"{len(frames)} synthetic 640x480 frames ({args.frames} per class), cv2 {cv2.__version__}, "
          f"{args.threads} thread(s)")
    for detector in available_detectors():
        report = evaluate(detector, frames)
        print(report.line())
        widths = "  ".join(f"{b} px {h}/{n}" for b, (h, n) in report.by_width.items())
        print(f"{'':10s} onlooker recall by face width: {widths}")
        print(f"{'':10s} model: {report.model}")


if __name__ == "__main__":
    main()
