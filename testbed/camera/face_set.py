"""A generated face-verification set (顔認証の評価用画像), made in memory, never saved.

Identities come from images inside the installed scikit-image wheel (nothing is copied into this
repository): ``ASTRONAUT`` (the operator of the virtual camera, ``skimage.data.astronaut()``, public
domain) and the 100 face crops of ``skimage.data.lfw_subset()`` (identities 0–99; grey 25×25 crops
of Labeled Faces in the Wild, research-use images: use only from the installed package).

``frame(identity, rng, variant)`` puts one identity's face, centred, on a plain 640×480 frame; a
``Variant`` alters it the way a counter camera does between enrolment and login: scale, lighting
(gain and offset), blur, small in-plane rotation and sensor noise.

Honest limits: a "same identity" pair is two renderings of *one photograph*, so pose, expression,
age, glasses, hair and make-up never change, which real same-person pairs do (FRR here is
optimistic); LFW crops are tiny grey images upscaled ×6, so their embeddings are blurred together,
and crops are assumed to be different people (LFW repeats people; the subset's labels are not
shipped), which makes the impostor side pessimistic for LFW-vs-LFW pairs. No masks, no 3-D
head turn, no presentation attacks (photos, screens): liveness is not measured at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

ASTRONAUT = -1
_ASTRONAUT_FACE_BOX = (178, 60, 92, 108)  # the face inside astronaut() (see drivers/camera/synthetic.py)


@dataclass(frozen=True)
class Variant:
    """One rendering: face width (px), gain × and offset + on the grey levels, Gaussian blur sigma,
    rotation (degrees) and noise sigma."""

    width: int = 150
    gain: float = 1.0
    offset: float = 0.0
    blur: float = 0.0
    angle: float = 0.0
    noise: float = 2.0

    @classmethod
    def random(cls, rng: np.random.Generator) -> Variant:
        return cls(width=int(rng.integers(100, 200)), gain=float(rng.uniform(0.65, 1.25)),
                   offset=float(rng.uniform(-20, 20)),
                   blur=float(rng.choice([0.0, 0.0, 0.8, 1.5])),
                   angle=float(rng.uniform(-10, 10)), noise=float(rng.uniform(1.0, 6.0)))


@lru_cache(maxsize=1)
def _astronaut() -> np.ndarray:
    from skimage import data

    x, y, w, h = _ASTRONAUT_FACE_BOX
    pad = 40  # some hair and neck around the face, as a camera sees it
    rgb = data.astronaut()[max(0, y - pad):y + h + pad, max(0, x - pad):x + w + pad]
    return cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2BGR)


@lru_cache(maxsize=1)
def _lfw() -> np.ndarray:
    from skimage import data

    return (np.clip(data.lfw_subset()[:100], 0, 1) * 255).astype(np.uint8)


def identities() -> list[int]:
    return [ASTRONAUT, *range(100)]


def _face_patch(identity: int, width: int) -> tuple[np.ndarray, float]:
    """The identity's image scaled so the face is ``width`` px, and the face's share of it."""
    if identity == ASTRONAUT:
        img = _astronaut()
        share = _ASTRONAUT_FACE_BOX[2] / img.shape[1]
    else:
        img = cv2.cvtColor(_lfw()[identity % 100], cv2.COLOR_GRAY2BGR)
        share = 0.9  # the crops are tight around the face
    scale = width / (share * img.shape[1])
    size = (max(8, round(img.shape[1] * scale)), max(8, round(img.shape[0] * scale)))
    return cv2.resize(img, size, interpolation=cv2.INTER_CUBIC), share


def frame(identity: int, rng: np.random.Generator | None = None,
          variant: Variant = Variant(), size: tuple[int, int] = (640, 480)) -> np.ndarray:
    """A BGR uint8 frame with ``identity``'s face near the centre, rendered as ``variant``."""
    rng = rng or np.random.default_rng(0)
    W, H = size
    patch, _share = _face_patch(identity, variant.width)
    canvas = np.full((H, W, 3), 170.0, np.float32)
    canvas[int(H * 0.85):] = 110.0  # a desk edge
    h, w = patch.shape[:2]
    x, y = (W - w) // 2, (H - h) // 2
    x0, y0, x1, y1 = max(0, x), max(0, y), min(W, x + w), min(H, y + h)
    canvas[y0:y1, x0:x1] = patch[y0 - y:y1 - y, x0 - x:x1 - x]
    if variant.angle:
        m = cv2.getRotationMatrix2D((W / 2, H / 2), variant.angle, 1.0)
        canvas = cv2.warpAffine(canvas, m, (W, H), borderMode=cv2.BORDER_REPLICATE)
    if variant.blur > 0:
        canvas = cv2.GaussianBlur(canvas, (0, 0), variant.blur)
    canvas = canvas * variant.gain + variant.offset
    canvas += rng.normal(0.0, variant.noise, canvas.shape)
    return np.clip(canvas, 0, 255).astype(np.uint8)
