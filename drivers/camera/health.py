"""Frame health (カメラ異常検知): pure checks over numpy arrays, ~1 ms per frame.

* dark — mean grey level below ``dark_mean`` (lens covered, shutter closed, lights off).
* uniform — almost no texture: low grey standard deviation *and* low Laplacian variance
  (a hand, tape or paper over the lens, a lens cap lit from the side).
* frozen — the frame is (nearly) identical to the previous one. A real sensor always adds noise,
  so a run of identical frames means a stuck driver, a replayed still or a virtual camera.
The policy (``app.onlooker``) decides how long a fault must last; these functions only measure.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

ANALYSE_SIZE = (160, 120)


def small_gray(image: np.ndarray) -> np.ndarray:
    """Grey 160×120 copy used by all checks (cheap, and robust to sensor noise)."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return cv2.resize(gray, ANALYSE_SIZE, interpolation=cv2.INTER_AREA)


def is_dark(gray: np.ndarray, *, dark_mean: float = 25.0) -> bool:
    return float(gray.mean()) < dark_mean


def is_uniform(gray: np.ndarray, *, max_std: float = 6.0, max_laplacian_var: float = 12.0) -> bool:
    if float(gray.std()) >= max_std:
        return False
    lap = cv2.Laplacian(gray, cv2.CV_32F)
    return float(lap.var()) < max_laplacian_var


def is_frozen(gray: np.ndarray, previous: np.ndarray | None, *, max_mean_abs_diff: float = 0.05) -> bool:
    """Identical (to within ``max_mean_abs_diff`` grey levels on average) to the previous frame."""
    if previous is None or previous.shape != gray.shape:
        return False
    diff = cv2.absdiff(gray, previous)
    return float(diff.mean()) <= max_mean_abs_diff


@dataclass(frozen=True, slots=True)
class FrameHealth:
    """``fault`` is ``None`` for a usable frame, else ``"dark"``, ``"uniform"`` or ``"frozen"``."""

    fault: str | None
    mean: float
    std: float

    @property
    def ok(self) -> bool:
        return self.fault is None


def assess(gray: np.ndarray, previous: np.ndarray | None) -> FrameHealth:
    """Pure: health of ``gray`` (from ``small_gray``) given the previous frame's ``small_gray``."""
    mean, std = float(gray.mean()), float(gray.std())
    if is_dark(gray):
        fault = "dark"
    elif is_uniform(gray):
        fault = "uniform"
    elif is_frozen(gray, previous):
        fault = "frozen"
    else:
        fault = None
    return FrameHealth(fault, mean, std)


class HealthChecker:
    """Keeps the previous frame's small grey copy (in memory only) for the frozen check."""

    def __init__(self) -> None:
        self._previous: np.ndarray | None = None

    def check(self, image: np.ndarray) -> FrameHealth:
        gray = small_gray(image)
        health = assess(gray, self._previous)
        self._previous = gray
        return health
