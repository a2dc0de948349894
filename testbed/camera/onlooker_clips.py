"""Onlooker evaluation clips (評価用合成映像, PRIV-1 / issue #5), deterministic from a seed, in memory.

Every face is a real photograph that ships inside the installed ``scikit-image`` wheel (nothing is
copied into this repository, nothing is downloaded, no frame is written):

* operator — the head of ``skimage.data.astronaut()`` (Eileen Collins, NASA photograph, public
  domain), face width 100–160 px near the bottom centre, mirrored in half the clips, swaying and
  leaning;
* onlookers — ``skimage.data.lfw_subset()`` face crops (Labeled Faces in the Wild, 25×25 grey; LFW
  is distributed for research, so these are only ever read from the installed package). The split
  decides the identities: ``tune`` uses crops 0–59, ``heldout`` crops 60–99, so no held-out onlooker
  identity, seed or background was seen while tuning. Upscaled to a face width of 40–90 px (an
  onlooker 1–2 m behind the clerk on a 640-px ~70° webcam), placed beside/behind the operator,
  35 % turned to a 3/4 view (a perspective squeeze of 25–45° yaw), slightly blurred, darker than
  the operator (further from the light);
* distractors — pictures on the wall that are *not* human faces: ``chelsea`` (a cat's face),
  ``coffee``, ``rocket``, ``page``/``text`` (print), ``brick``, and lfw_subset's 100 non-face crops;
* lighting — clip gain 0.35–1.1 (30 % of clips dim: 0.35–0.55) with matching sensor noise, a colour
  cast, slow drift, sometimes a step (lights switched) in operator-only clips; 40 % JPEG q 60–90.

Clips at ``fps`` (default 15): ``onlooker`` clips = 1 s operator alone, an onlooker stepping into
view (sliding in over 4 frames) and staying 2 s, then 1 s alone again; ``operator`` clips = 20 s of
the operator alone. Ground truth per frame: face boxes and whether an onlooker is present.

Honest limits: 2-D pastes (a yaw warp is not a real 3/4 view; seams), one operator identity,
upscaled 25-px crops are blurrier than a real 50-px face (harder for detectors) but pasted on calm
procedural backgrounds with no real people walking past (easier), moving regions are heads only
(a real person's whole body moves), no motion blur, rolling shutter or auto-exposure. Use the
figures to compare detectors and settings, not as field accuracy.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from drivers.camera.synthetic import (
    _ASTRONAUT_FACE,
    _ASTRONAUT_HEAD,
    TruthFace,
    _astronaut_head,
    _background,
    _feather_rect,
    _lfw_faces,
    _paste,
)

SPLITS = {
    "tune": {"faces": tuple(range(0, 60)), "seed_base": 0},
    "heldout": {"faces": tuple(range(60, 100)), "seed_base": 500_000},
}
SIZE = (640, 480)
_DISTRACTORS = ("chelsea", "coffee", "rocket", "page", "text", "brick")


@dataclass(frozen=True, slots=True)
class ClipSpec:
    split: str
    kind: str  # "onlooker" or "operator"
    index: int
    seed: int
    frames: int
    fps: float
    onlooker_from: int = 0  # first frame with the onlooker in view
    onlooker_to: int = 0  # first frame without (exclusive)

    @property
    def seconds(self) -> float:
        return self.frames / self.fps

    def onlooker_present(self, i: int) -> bool:
        return self.onlooker_from <= i < self.onlooker_to


@dataclass(frozen=True, slots=True)
class ClipFrame:
    index: int
    timestamp: float
    image: np.ndarray
    truth: tuple[TruthFace, ...]
    onlooker: bool


def clip_specs(split: str, *, onlooker_clips: int, operator_minutes: float, fps: float = 15.0,
               seed: int = 0) -> list[ClipSpec]:
    """The clips of one split: ``onlooker_clips`` onlooker clips and enough 20-s operator-only
    clips to make ``operator_minutes`` minutes."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}")
    base = SPLITS[split]["seed_base"] + 10_000 * seed
    alone, present, after = round(1 * fps), round(2 * fps), round(1 * fps)
    specs = [ClipSpec(split, "onlooker", i, base + i, alone + present + after, fps, alone, alone + present)
             for i in range(onlooker_clips)]
    per = round(20 * fps)
    n_operator = int(np.ceil(operator_minutes * 60 * fps / per)) if operator_minutes > 0 else 0
    specs += [ClipSpec(split, "operator", i, base + 5_000 + i, per, fps) for i in range(n_operator)]
    return specs


def event_specs(events: int, seed: int, *, fps: float, alone: int, present: int,
                split: str = "heldout") -> list[ClipSpec]:
    """Back-to-back onlooker events for the latency run: each ``alone`` frames of the operator,
    then ``present`` frames with an onlooker (seeds apart from ``clip_specs``')."""
    base = SPLITS[split]["seed_base"] + 900_000 + 1_000 * seed
    return [ClipSpec(split, "onlooker", e, base + e, alone + present, fps, alone, alone + present)
            for e in range(events)]


def face_inside(face: TruthFace, width: int, height: int) -> float:
    """The share of a face box that lies inside the picture (an onlooker sliding in at a side edge
    shows only a sliver of their face on their first frames)."""
    ix = max(0, min(face.x + face.w, width) - max(face.x, 0))
    iy = max(0, min(face.y + face.h, height) - max(face.y, 0))
    return ix * iy / max(1, face.w * face.h)


@lru_cache(maxsize=1)
def _nonfaces() -> np.ndarray:
    from skimage import data

    crops = data.lfw_subset()[100:]
    return (np.clip(crops, 0.0, 1.0) * 255.0).astype(np.float32)


@lru_cache(maxsize=8)
def _skimage_picture(name: str) -> np.ndarray:
    from skimage import data

    img = getattr(data, name)()
    if img.ndim == 2:
        img = np.stack([img] * 3, axis=-1)
    return cv2.cvtColor(np.ascontiguousarray(img[:, :, :3]), cv2.COLOR_RGB2BGR).astype(np.float32)


def _wall(rng: np.random.Generator, seed: int) -> np.ndarray:
    W, H = SIZE
    img = _background(seed, SIZE)
    for _ in range(int(rng.integers(1, 4))):  # framed non-face pictures on the wall / cabinets
        pw = int(rng.integers(50, 130))
        ph = int(pw * rng.uniform(0.7, 1.3))
        x, y = int(rng.integers(0, W - pw)), int(rng.integers(0, int(H * 0.55)))
        if rng.random() < 0.4:
            pic = _nonfaces()[int(rng.integers(0, 100))]
            pic = np.stack([cv2.resize(pic, (pw, ph), interpolation=cv2.INTER_CUBIC)] * 3, axis=-1)
        else:
            src = _skimage_picture(_DISTRACTORS[int(rng.integers(0, len(_DISTRACTORS)))])
            sh, sw = src.shape[:2]
            cw, ch = int(sw * rng.uniform(0.4, 1.0)), int(sh * rng.uniform(0.4, 1.0))
            cx, cy = int(rng.integers(0, sw - cw + 1)), int(rng.integers(0, sh - ch + 1))
            pic = cv2.resize(src[cy:cy + ch, cx:cx + cw], (pw, ph), interpolation=cv2.INTER_AREA)
        img[max(0, y - 4):y + ph + 4, max(0, x - 4):x + pw + 4] = rng.uniform(20, 90)
        img[y:y + ph, x:x + pw] = pic
    return img


def _yaw_warp(patch: np.ndarray, alpha: np.ndarray, yaw_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Approximate a head turned by ``yaw_deg`` (sign = side): narrower, far side shorter."""
    h, w = patch.shape[:2]
    c = np.cos(np.radians(abs(yaw_deg)))
    far = 1.0 - 0.25 * np.sin(np.radians(abs(yaw_deg)))
    nw = max(4, round(w * c))
    top, bot = h * (1 - far) / 2, h - h * (1 - far) / 2
    if yaw_deg > 0:
        dst = np.float32([[0, 0], [nw, top], [nw, bot], [0, h]])
    else:
        dst = np.float32([[0, top], [nw, 0], [nw, h], [0, bot]])
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), dst)
    return (cv2.warpPerspective(patch, m, (nw, h), flags=cv2.INTER_LINEAR),
            cv2.warpPerspective(alpha, m, (nw, h), flags=cv2.INTER_LINEAR))


class _Clip:
    """Everything fixed for a clip, drawn from its seed."""

    def __init__(self, spec: ClipSpec) -> None:
        self.spec = spec
        rng = np.random.default_rng(spec.seed)
        self.rng = rng
        W, H = SIZE
        self.wall = _wall(rng, int(rng.integers(0, 1_000_000)))
        dim = rng.random() < 0.3
        self.gain = float(rng.uniform(0.35, 0.55) if dim else rng.uniform(0.6, 1.1))
        self.noise = float(rng.uniform(2.0, 4.0) + (3.0 if dim else 0.0))
        self.tint = rng.uniform(0.85, 1.12, 3).astype(np.float32)
        self.drift = float(rng.uniform(-0.1, 0.1))
        self.step_at = (int(rng.integers(spec.frames // 4, spec.frames)) if spec.kind == "operator"
                        and rng.random() < 0.1 else None)
        self.step = float(rng.uniform(0.75, 1.25))
        self.jpeg = int(rng.integers(60, 91)) if rng.random() < 0.4 else None
        # operator
        self.op_w = int(rng.integers(100, 161))
        self.op_c = (W * rng.uniform(0.38, 0.62), H * rng.uniform(0.55, 0.66))
        self.op_mirror = bool(rng.random() < 0.5)
        self.sway = (float(rng.uniform(3, 12)), float(rng.uniform(2, 6)), float(rng.uniform(0, 6.3)))
        self.leans = [(int(rng.integers(0, spec.frames)), float(rng.uniform(-50, 50)), float(rng.uniform(-15, 15)))
                      for _ in range(int(rng.integers(0, 1 + spec.frames // 150)))]
        # onlooker
        self.onl_w = int(rng.integers(40, 91))
        faces = SPLITS[spec.split]["faces"]
        self.onl_id = faces[int(rng.integers(0, len(faces)))]
        self.onl_yaw = float(rng.uniform(25, 45) * rng.choice([-1, 1])) if rng.random() < 0.35 else 0.0
        self.onl_blur = float(rng.uniform(0.0, 1.2))
        self.onl_light = float(rng.uniform(0.7, 1.0))
        for _ in range(100):  # beside / behind the operator, not on the operator's face
            x = W * rng.uniform(0.08, 0.92)
            y = H * rng.uniform(0.12, 0.45)
            dx, dy = abs(x - self.op_c[0]), abs(y - self.op_c[1])
            if dx > 0.6 * (self.op_w + self.onl_w) or dy > 0.75 * (self.op_w + self.onl_w):
                break
        self.onl_c = (x, y)
        self.onl_enter = float(rng.uniform(30, 80) * (1 if x > W / 2 else -1))  # slides in from its side
        self.onl_patch = self._onlooker_patch()

    def _onlooker_patch(self) -> tuple[np.ndarray, np.ndarray, tuple[int, int, int, int]]:
        """Head and shoulders: the real face crop on a drawn head (hair) and body (clothes), so the
        detector sees a face with a head around it, not a floating face. Returns patch, alpha and
        the face box inside the patch."""
        rng = np.random.default_rng(self.spec.seed + 1)
        w = self.onl_w
        W, H = round(2.6 * w), round(2.4 * w)
        fx, fy = (W - w) // 2, round(0.35 * w)
        patch = np.zeros((H, W, 3), np.float32)
        alpha = np.zeros((H, W), np.float32)
        hair = rng.uniform(15, 70) * rng.uniform(0.9, 1.1, 3)
        clothes = rng.uniform(30, 200, 3)
        yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
        # shoulders and body (an ellipse cut by the patch bottom), then the neck, then the hair
        body = ((xx - W / 2) / (1.25 * w)) ** 2 + ((yy - (fy + 2.3 * w)) / (1.1 * w)) ** 2 <= 1
        patch[body], alpha[body] = clothes, 1
        skin = np.array([0.82, 0.92, 1.08], np.float32) * 150 * self.onl_light
        neck = (np.abs(xx - W / 2) <= 0.28 * w) & (yy >= fy + 0.8 * w) & (yy <= fy + 1.35 * w)
        patch[neck], alpha[neck] = skin * 0.8, 1
        head = ((xx - W / 2) / (0.68 * w)) ** 2 + ((yy - (fy + 0.42 * w)) / (0.72 * w)) ** 2 <= 1
        patch[head], alpha[head] = hair, 1
        crop = _lfw_faces()[self.onl_id]
        grey = cv2.resize(crop, (w, w), interpolation=cv2.INTER_CUBIC)
        face = np.clip(grey[:, :, None] * (skin / 150)[None, None, :], 0, 255)
        fa = _feather_rect(w, w, 0.12)
        region = patch[fy:fy + w, fx:fx + w]
        region[:] = region * (1 - fa[:, :, None]) + face * fa[:, :, None]
        alpha = cv2.GaussianBlur(alpha, (0, 0), max(0.8, w / 40))
        if self.onl_blur > 0.3:
            patch = cv2.GaussianBlur(patch, (0, 0), self.onl_blur)
        box = (fx, fy, w, w)
        if self.onl_yaw:
            nw = patch.shape[1]
            patch, alpha = _yaw_warp(patch, alpha, self.onl_yaw)
            k = patch.shape[1] / nw
            box = (round(fx * k), fy, max(4, round(w * k)), w)
        return patch, alpha, box

    def frame(self, i: int) -> ClipFrame:
        spec, rng = self.spec, self.rng
        W, H = SIZE
        img = self.wall.copy()
        truth: list[TruthFace] = []
        onlooker = spec.onlooker_present(i)
        if onlooker:
            k = i - spec.onlooker_from
            slide = self.onl_enter * max(0.0, 1.0 - k / 4.0)
            patch, alpha, (bx, by, bw, bh) = self.onl_patch
            x = round(self.onl_c[0] + slide + 2.5 * np.sin(k / 5.0) - bx - bw / 2)
            y = round(self.onl_c[1] + 1.5 * np.sin(k / 7.0) - by - bh / 2)
            _paste(img, patch, alpha, x, y)
            truth.append(TruthFace(x + bx, y + by, bw, bh, "onlooker"))
        # operator: sway, occasional leans (move and come back over ~1.5 s)
        amp, period, phase = self.sway
        t = i / spec.fps
        ox = amp * np.sin(2 * np.pi * t / period + phase)
        oy = 0.4 * amp * np.sin(2 * np.pi * t / (period * 1.7) + phase)
        for start, lx, ly in self.leans:
            d = (i - start) / spec.fps
            if 0 <= d < 1.5:
                s = np.sin(np.pi * d / 1.5)
                ox, oy = ox + lx * s, oy + ly * s
        head, alpha = _astronaut_head()
        fx0, fy0, fw, fh = _ASTRONAUT_FACE
        hx, hy, hw, hh = _ASTRONAUT_HEAD
        s = self.op_w / fw
        sw, sh = max(1, round(hw * s)), max(1, round(hh * s))
        patch = cv2.resize(head, (sw, sh), interpolation=cv2.INTER_AREA)
        a = cv2.resize(alpha, (sw, sh), interpolation=cv2.INTER_LINEAR)
        face_dx = (fx0 - hx) * s
        if self.op_mirror:
            patch, a = patch[:, ::-1], a[:, ::-1]
            face_dx = sw - face_dx - fw * s
        cx, cy = self.op_c[0] + ox, self.op_c[1] + oy
        x, y = round(cx - face_dx - fw * s / 2), round(cy - (fy0 - hy + fh / 2) * s)
        _paste(img, np.ascontiguousarray(patch), np.ascontiguousarray(a), x, y)
        truth.append(TruthFace(round(x + face_dx), round(y + (fy0 - hy) * s), round(fw * s), round(fh * s),
                               "operator"))
        gain = self.gain * (1.0 + self.drift * i / max(1, spec.frames))
        if self.step_at is not None and i >= self.step_at:
            gain *= self.step
        img *= gain * self.tint[None, None, :]
        noise = np.empty_like(img)
        cv2.randn(noise, 0.0, self.noise)
        img += noise
        out = np.clip(img, 0, 255).astype(np.uint8)
        if self.jpeg is not None:
            ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, self.jpeg])  # in memory only
            out = cv2.imdecode(buf, cv2.IMREAD_COLOR)
        return ClipFrame(i, i / spec.fps, out, tuple(truth), onlooker)


def render_clip(spec: ClipSpec) -> Iterator[ClipFrame]:
    """The frames of one clip, generated one at a time (deterministic from ``spec.seed``)."""
    clip = _Clip(spec)
    cv2.setRNGSeed(spec.seed % (2**31))
    for i in range(spec.frames):
        yield clip.frame(i)
