"""Synthetic counter scenes (合成映像) for tests and the demo — generated in memory, never saved.

Faces are real photographs shipped inside the installed scikit-image wheel, composited at test/run
time (nothing is copied into this repository):

* operator — the head of ``skimage.data.astronaut()`` (Eileen Collins, NASA photo, public domain),
  scaled to a face width of ~110–150 px and placed near the bottom centre (≈ 0.5 m from a 640-px,
  ~70° webcam);
* onlookers and posters — crops from ``skimage.data.lfw_subset()`` (Labeled Faces in the Wild,
  100 grey 25×25 face crops; research-use images: use only from the installed package, never commit
  them), upscaled to 45–110 px (≈ 0.6–1.5 m) and tinted, placed beside/behind the operator.

The background is procedural (wall, cabinets, desk) and fixed per ``seed``; each frame adds sensor
noise and a little operator motion, so consecutive frames differ like a real camera's. Camera faults:
``covered`` (near black), ``uniform`` (flat grey: paper/tape over the lens), ``frozen`` (the previous
frame repeated bit for bit), ``missing`` (``read`` returns ``None``).

Honest limits: pasted 2-D crops (no head yaw, visible seams), few identities (one operator, 100 tiny
LFW crops upscaled, so blurrier than real onlookers), no auto-exposure or compression artefacts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from drivers.camera.sources import Frame

CONDITIONS = ("ok", "covered", "uniform", "frozen", "missing")

# Face box of the astronaut in skimage.data.astronaut() (512×512), measured with both detectors:
# SSD res10 (179, 58, 92, 119), Haar (177, 67, 93, 93). We use a square-ish box around both.
_ASTRONAUT_FACE = (178, 60, 92, 108)
_ASTRONAUT_HEAD = (138, 10, 176, 230)  # x, y, w, h of the pasted head region (face + hair + neck)


@dataclass(frozen=True, slots=True)
class Scene:
    """What the camera sees. ``onlookers`` is how many extra people look at the screen."""

    operator: bool = True
    onlookers: int = 0
    condition: str = "ok"
    poster: bool = False
    operator_face_width: int = 130
    onlooker_face_width: int = 80
    gain: float = 1.0  # global brightness (dim office ≈ 0.6, bright ≈ 1.1)
    onlooker_ids: tuple[int, ...] = (3, 17, 42)  # which LFW crops (0–99) play the onlookers

    def __post_init__(self) -> None:
        if self.condition not in CONDITIONS:
            raise ValueError(f"unknown condition {self.condition!r}")
        if not 0 <= self.onlookers <= 3:
            raise ValueError("0 to 3 onlookers")


@dataclass(frozen=True, slots=True)
class TruthFace:
    x: int
    y: int
    w: int
    h: int
    role: str  # "operator", "onlooker" or "poster"


def _feather_ellipse(w: int, h: int, feather: float = 0.18) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    d = ((xx - (w - 1) / 2) / (w / 2)) ** 2 + ((yy - (h - 1) / 2) / (h / 2)) ** 2
    return np.clip((1.0 - d) / feather, 0.0, 1.0)


def _feather_rect(w: int, h: int, border: float = 0.12) -> np.ndarray:
    bx, by = max(1.0, w * border), max(1.0, h * border)
    x = np.minimum(np.arange(w) + 0.5, w - np.arange(w) - 0.5) / bx
    y = np.minimum(np.arange(h) + 0.5, h - np.arange(h) - 0.5) / by
    return np.clip(np.outer(np.clip(y, 0, 1), np.clip(x, 0, 1)), 0, 1).astype(np.float32)


@lru_cache(maxsize=1)
def _astronaut_head() -> tuple[np.ndarray, np.ndarray]:
    from skimage import data

    rgb = data.astronaut()
    x, y, w, h = _ASTRONAUT_HEAD
    head = cv2.cvtColor(np.ascontiguousarray(rgb[y:y + h, x:x + w]), cv2.COLOR_RGB2BGR).astype(np.float32)
    return head, _feather_ellipse(w, h, 0.25)


@lru_cache(maxsize=1)
def _lfw_faces() -> np.ndarray:
    from skimage import data

    crops = data.lfw_subset()[:100]  # the first 100 are faces, the rest non-faces
    return (np.clip(crops, 0.0, 1.0) * 255.0).astype(np.float32)


def lfw_face_count() -> int:
    return int(_lfw_faces().shape[0])


def _paste(canvas: np.ndarray, patch: np.ndarray, alpha: np.ndarray, x: int, y: int) -> None:
    H, W = canvas.shape[:2]
    h, w = patch.shape[:2]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(W, x + w), min(H, y + h)
    if x0 >= x1 or y0 >= y1:
        return
    p = patch[y0 - y:y1 - y, x0 - x:x1 - x]
    a = alpha[y0 - y:y1 - y, x0 - x:x1 - x, None]
    region = canvas[y0:y1, x0:x1]
    region[:] = region * (1.0 - a) + p * a


def _background(seed: int, size: tuple[int, int]) -> np.ndarray:
    W, H = size
    rng = np.random.default_rng(10_000 + seed)
    wall = rng.uniform(150, 215, 3)
    grad = np.linspace(1.05, 0.85, H, dtype=np.float32)[:, None, None]
    img = np.ones((H, W, 3), np.float32) * wall[None, None, :] * grad
    for _ in range(int(rng.integers(3, 6))):  # cabinets, notice boards, windows
        w, h = int(rng.integers(W // 10, W // 3)), int(rng.integers(H // 8, H // 2))
        x, y = int(rng.integers(0, W - w)), int(rng.integers(0, H // 2))
        colour = rng.uniform(60, 230, 3)
        img[y:y + h, x:x + w] = colour
        if rng.random() < 0.5:  # shelves
            for sy in range(y + h // 4, y + h, max(8, h // 4)):
                img[sy:sy + 3, x:x + w] = colour * 0.5
    desk = int(H * 0.86)
    img[desk:, :] = rng.uniform(80, 140, 3)
    return img


@lru_cache(maxsize=8)
def _cached_background(seed: int, size: tuple[int, int]) -> np.ndarray:
    return _background(seed, size)


def _onlooker_patch(index: int, width: int, tint: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    crop = _lfw_faces()[index % lfw_face_count()]
    grey = cv2.resize(crop, (width, width), interpolation=cv2.INTER_CUBIC)
    patch = np.clip(grey[:, :, None] * tint[None, None, :], 0, 255)
    return patch, _feather_rect(width, width, 0.1)


_SLOTS = ((0.17, 0.34), (0.83, 0.32), (0.30, 0.22))  # beside/behind the operator (x, y fractions)


def render_scene(scene: Scene, rng: np.random.Generator, *, seed: int = 0, size: tuple[int, int] = (640, 480),
                 noise_sigma: float = 3.0,
                 ) -> tuple[np.ndarray, list[TruthFace]]:
    """One BGR uint8 frame of ``scene`` and its ground-truth face boxes (faulty conditions: none)."""
    W, H = size
    if scene.condition == "covered":
        img = rng.normal(7.0, 2.0, (H, W, 3))
        return np.clip(img, 0, 255).astype(np.uint8), []
    if scene.condition == "uniform":
        img = np.full((H, W, 3), rng.uniform(120, 170), np.float32) + rng.normal(0.0, 1.2, (H, W, 3))
        return np.clip(img, 0, 255).astype(np.uint8), []
    img = _cached_background(seed, size).copy()
    truth: list[TruthFace] = []
    if scene.poster:  # a framed face photo on the wall: never moves
        pw = 70
        px, py = int(W * 0.62), int(H * 0.08)
        img[py - 6:py + pw + 6, px - 6:px + pw + 6] = (40, 40, 40)
        patch, alpha = _onlooker_patch(61, pw, np.array([0.9, 0.95, 1.05], np.float32))
        _paste(img, patch, alpha, px, py)
        truth.append(TruthFace(px, py, pw, pw, "poster"))
    for i in range(scene.onlookers):
        fx, fy = _SLOTS[i]
        w = int(scene.onlooker_face_width * rng.uniform(0.9, 1.1))
        x = int(W * fx - w / 2 + rng.uniform(-6, 6))
        y = int(H * fy - w / 2 + rng.uniform(-6, 6))
        tint = np.array([0.82, 0.92, 1.08], np.float32) * rng.uniform(0.9, 1.1)
        patch, alpha = _onlooker_patch(scene.onlooker_ids[i % len(scene.onlooker_ids)], w, tint)
        _paste(img, patch, alpha, x, y)
        truth.append(TruthFace(x, y, w, w, "onlooker"))
    if scene.operator:
        head, alpha = _astronaut_head()
        fx0, fy0, fw, fh = _ASTRONAUT_FACE
        hx, hy, hw, hh = _ASTRONAUT_HEAD
        s = scene.operator_face_width * rng.uniform(0.97, 1.03) / fw
        sw, sh = max(1, round(hw * s)), max(1, round(hh * s))
        patch = cv2.resize(head, (sw, sh), interpolation=cv2.INTER_AREA)
        a = cv2.resize(alpha, (sw, sh), interpolation=cv2.INTER_LINEAR)
        # face centre near the bottom centre of the frame
        cx, cy = W / 2 + rng.uniform(-8, 8), H * 0.58 + rng.uniform(-5, 5)
        face_cx, face_cy = (fx0 - hx + fw / 2) * s, (fy0 - hy + fh / 2) * s
        x, y = round(cx - face_cx), round(cy - face_cy)
        _paste(img, patch, a, x, y)
        truth.append(TruthFace(round(x + (fx0 - hx) * s), round(y + (fy0 - hy) * s), round(fw * s), round(fh * s),
                               "operator"))
    img *= scene.gain
    img += rng.normal(0.0, noise_sigma, img.shape).astype(np.float32)
    return np.clip(img, 0, 255).astype(np.uint8), truth


class SyntheticSceneSource:
    """A scripted timeline of scenes: ``[(frames, Scene), ...]`` at ``fps`` with timestamps
    ``start + i / fps``. Ends (``read`` → ``None``) after the last step unless ``loop``."""

    def __init__(self, timeline: Sequence[tuple[int, Scene]], *, fps: float = 5.0, seed: int = 0,
                 size: tuple[int, int] = (640, 480), start: float = 0.0, loop: bool = False) -> None:
        if not timeline:
            raise ValueError("empty timeline")
        self.timeline = list(timeline)
        self.fps, self.seed, self.size, self.start, self.loop = fps, seed, size, start, loop
        self._rng = np.random.default_rng(seed)
        self._index = 0
        self._last: np.ndarray | None = None
        self.last_truth: list[TruthFace] = []
        self.last_scene: Scene | None = None
        self._total = sum(n for n, _ in self.timeline)

    @property
    def total_frames(self) -> int:
        return self._total

    @property
    def next_timestamp(self) -> float:
        return self.start + self._index / self.fps

    def open(self) -> bool:
        return True

    def close(self) -> None:
        pass

    def scene_at(self, index: int) -> Scene | None:
        if self.loop:
            index %= self._total
        for n, scene in self.timeline:
            if index < n:
                return scene
            index -= n
        return None

    def read(self) -> Frame | None:
        scene = self.scene_at(self._index)
        ts = self.next_timestamp
        self._index += 1
        self.last_scene = scene
        if scene is None or scene.condition == "missing":
            self.last_truth = []
            return None
        if scene.condition == "frozen" and self._last is not None:
            image = self._last.copy()
        else:
            image, self.last_truth = render_scene(scene, self._rng, seed=self.seed, size=self.size)
        self._last = image
        return Frame(image, ts, self._index - 1)
