"""顔認証の特徴量 (face verification features): detector → 5-point alignment → 128-d embedding.

Models, all installed from PyPI, none downloaded at run time:

* detection — ``SsdFaceDetector`` (OpenCV res10 SSD, see detectors.py), injectable;
* alignment — dlib's ``shape_predictor_5_face_landmarks.dat`` and
* embedding — dlib's ``dlib_face_recognition_resnet_model_v1.dat`` (a ResNet giving 128 numbers;
  99.38 % on the LFW benchmark by its author), both from the ``face-recognition-models`` 0.3.0 package
  (CC0 1.0), run by ``dlib`` from the ``dlib-bin`` wheels (Boost Software License; no compiling).

That package also contains ``shape_predictor_68_face_landmarks.dat``, trained on iBUG 300-W, which is
**not licensed for commercial use**: it is never loaded here (a test checks this file never names it).

The terminal never keeps what this computes: an embedding goes to the central API, which compares it
with the operator's encrypted template (central/biometrics.py). Images stay in memory.

``analyse(image)`` grades one capture (``FaceQuality``: one face, large enough, lit, sharp, central)
and returns the embedding only when the capture is good enough; ``FaceProvider`` turns captures into
a probe or an enrolment (the shape of ``app.biometrics.BiometricProvider``).
"""

from __future__ import annotations

import base64
import importlib.util
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from drivers.camera.detectors import Face, FaceDetector, ModelNotFound

MODEL_ID = "dlib-resnet-v1"  # central/biometrics.py FACE_MODEL; a test keeps them equal
EMBEDDING_DIM = 128

# Quality issue codes (the UI words them in Japanese).
NO_FACE = "no_face"
SEVERAL_FACES = "several_faces"
TOO_SMALL = "too_small"
TOO_DARK = "too_dark"
TOO_BRIGHT = "too_bright"
BLURRY = "blurry"
OFF_CENTRE = "off_centre"


def model_paths() -> tuple[Path, Path]:
    """(5-point landmark model, ResNet embedding model) inside face-recognition-models."""
    spec = importlib.util.find_spec("face_recognition_models")  # locate only: its import needs
    if spec is None or not spec.submodule_search_locations:      # pkg_resources
        raise ModelNotFound("face-recognition-models is not installed")
    folder = Path(list(spec.submodule_search_locations)[0]) / "models"
    five = folder / "shape_predictor_5_face_landmarks.dat"
    resnet = folder / "dlib_face_recognition_resnet_model_v1.dat"
    if not (five.is_file() and resnet.is_file()):
        raise ModelNotFound(f"face models missing in {folder}")
    return five, resnet


def features_to_text(vector: np.ndarray) -> str:
    """The wire form of an embedding: base64 of little-endian float32."""
    return base64.b64encode(np.asarray(vector, dtype="<f4").tobytes()).decode("ascii")


def text_to_features(text: str) -> np.ndarray:
    """The inverse of ``features_to_text``: a 128-float embedding, or ValueError."""
    raw = base64.b64decode(text, validate=True)
    if len(raw) != 128 * 4:
        raise ValueError("a face embedding has 128 float32 values")
    vec = np.frombuffer(raw, dtype="<f4").astype(np.float32)
    if not np.all(np.isfinite(vec)):
        raise ValueError("a face embedding holds finite numbers only")
    return vec


@dataclass(frozen=True, slots=True)
class FaceQuality:
    """How usable one capture is. ``issues`` are codes (NO_FACE, TOO_SMALL, …); empty = good."""

    issues: tuple[str, ...]
    faces: int = 0
    face_width: int = 0
    brightness: float = 0.0
    sharpness: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.issues


@dataclass(frozen=True, slots=True)
class FaceSample:
    """One analysed capture: its quality and, when good, the embedding (never the image)."""

    quality: FaceQuality
    embedding: np.ndarray | None = field(default=None, repr=False)

    @property
    def features(self) -> str | None:
        return None if self.embedding is None else features_to_text(self.embedding)


@dataclass(frozen=True)
class QualityRules:
    min_face_width: int = 80  # px at 640×480: the operator within ≈ 0.9 m
    min_brightness: float = 55.0  # mean grey level of the face
    max_brightness: float = 215.0
    min_sharpness: float = 15.0  # variance of the Laplacian of the face at 128 px
    other_face_ratio: float = 0.6  # a second face this large (vs the largest) makes it ambiguous
    centre_band: float = 0.3  # the face centre must lie within ±30 % of the frame centre


class FaceEncoder:
    """Detector + dlib 5-point alignment + dlib ResNet embedding. Thread-safe (one lock)."""

    name = "face"
    model = MODEL_ID

    def __init__(self, detector: FaceDetector | None = None, rules: QualityRules | None = None
                 ) -> None:
        try:
            import dlib
        except ImportError as exc:
            raise ModelNotFound("dlib is not installed (pip install dlib-bin)") from exc
        five, resnet = model_paths()
        if detector is None:
            from drivers.camera.detectors import SsdFaceDetector

            detector = SsdFaceDetector()
        self.detector = detector
        self.rules = rules or QualityRules()
        self._dlib = dlib
        self._landmarks = dlib.shape_predictor(str(five))
        self._net = dlib.face_recognition_model_v1(str(resnet))
        self._lock = threading.Lock()

    def embed_box(self, image: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
        """The embedding of the face in ``box`` (x, y, w, h): aligned by 5 landmarks to 150×150."""
        rgb = np.ascontiguousarray(_rgb(image))
        H, W = rgb.shape[:2]
        x, y, w, h = (int(v) for v in box)
        # dlib reads the pixels around the box: keep it inside the frame (a detector's box may
        # reach past an edge).
        x0, y0 = min(max(0, x), W - 1), min(max(0, y), H - 1)
        x1, y1 = min(max(x0 + 1, x + w), W - 1), min(max(y0 + 1, y + h), H - 1)
        rect = self._dlib.rectangle(x0, y0, x1, y1)
        with self._lock:
            shape = self._landmarks(rgb, rect)
            chip = self._dlib.get_face_chip(rgb, shape, size=150, padding=0.25)
            vec = self._net.compute_face_descriptor(chip)
        return np.asarray(vec, dtype=np.float32)

    def grade(self, image: np.ndarray, faces: Sequence[Face]) -> tuple[FaceQuality, Face | None]:
        r = self.rules
        if not faces:
            return FaceQuality((NO_FACE,)), None
        faces = sorted(faces, key=lambda f: f.w * f.h, reverse=True)
        main = faces[0]
        issues: list[str] = []
        if any(f.w >= r.other_face_ratio * main.w for f in faces[1:]):
            issues.append(SEVERAL_FACES)
        if main.w < r.min_face_width:
            issues.append(TOO_SMALL)
        gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        H, W = gray.shape[:2]
        x0, y0 = max(0, main.x), max(0, main.y)
        roi = gray[y0:min(H, main.y + main.h), x0:min(W, main.x + main.w)]
        brightness = float(roi.mean()) if roi.size else 0.0
        sharpness = 0.0
        if roi.size:
            norm = cv2.resize(roi, (128, 128), interpolation=cv2.INTER_AREA)
            sharpness = float(cv2.Laplacian(norm, cv2.CV_64F).var())
        if brightness < r.min_brightness:
            issues.append(TOO_DARK)
        elif brightness > r.max_brightness:
            issues.append(TOO_BRIGHT)
        if sharpness < r.min_sharpness:
            issues.append(BLURRY)
        cx, cy = main.centre
        if abs(cx / W - 0.5) > r.centre_band or abs(cy / H - 0.5) > r.centre_band + 0.1:
            issues.append(OFF_CENTRE)
        return FaceQuality(tuple(issues), len(faces), main.w, brightness, sharpness), main

    def analyse(self, image: np.ndarray) -> FaceSample:
        """Grade one capture; compute the embedding only for a good one."""
        bgr = image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
        quality, face = self.grade(bgr, self.detector.detect(bgr))
        if not quality.ok or face is None:
            return FaceSample(quality)
        return FaceSample(quality, self.embed_box(bgr, (face.x, face.y, face.w, face.h)))


def _rgb(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


@dataclass(frozen=True)
class FaceEnrolment:
    """Enough good captures for an enrolment, as wire features, and what was wrong with the rest."""

    samples: tuple[str, ...] = field(repr=False)
    rejected: tuple[FaceQuality, ...]

    @property
    def template(self) -> bytes:
        """All captures' embeddings packed (float32), the bytes the server will encrypt."""
        return b"".join(base64.b64decode(s) for s in self.samples)


class FaceProvider:
    """The shipped biometric provider (``app.biometrics.BiometricProvider``): face."""

    name = "face"
    model = MODEL_ID

    def __init__(self, encoder: FaceEncoder | None = None) -> None:
        self._encoder = encoder
        self._lock = threading.Lock()

    @property
    def encoder(self) -> FaceEncoder:
        with self._lock:  # loading the models takes ~1 s: on first use, in the worker
            if self._encoder is None:
                self._encoder = FaceEncoder()
            return self._encoder

    def sample(self, capture: np.ndarray) -> FaceSample:
        return self.encoder.analyse(capture)

    def enrol(self, captures: Sequence[np.ndarray]) -> FaceEnrolment:
        good, bad = [], []
        for image in captures:
            s = self.sample(image)
            if s.features is not None:
                good.append(s.features)
            else:
                bad.append(s.quality)
        return FaceEnrolment(tuple(good), tuple(bad))


def _iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    w = min(ax + aw, bx + bw) - max(ax, bx)
    h = min(ay + ah, by + bh) - max(ay, by)
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return inter / float(aw * ah + bw * bh - inter)


class PresenceMatcher:
    """在席確認: is each face in a camera frame the operator who logged in?

    The reference is the embedding of the capture the centre accepted at login (kept in memory for
    the session, never written). Called on the camera thread with a frame and its detected faces,
    it answers one verdict per face: True (the operator), False (someone else) or None (not
    checked yet). Cost is bounded: at most one embedding per frame, and a face that stays where a
    checked face was (IoU ≥ ``same_place``) keeps its verdict for ``recheck_s`` seconds.
    ``threshold`` is the embedding distance the centre uses for login (0.5).
    """

    def __init__(self, encoder: FaceEncoder, reference: Sequence[np.ndarray], *,
                 threshold: float = 0.5, recheck_s: float = 3.0, same_place: float = 0.3,
                 clock=None) -> None:
        import time

        if not reference:
            raise ValueError("no reference embedding")
        self.encoder = encoder
        self.reference = np.stack([np.asarray(r, dtype=np.float32) for r in reference])
        self.threshold, self.recheck_s, self.same_place = threshold, recheck_s, same_place
        self._clock = clock or time.monotonic
        self._known: list[tuple[tuple[int, int, int, int], bool, float]] = []
        self.embeddings = 0  # how many faces were embedded (for tests and the benchmark)

    @classmethod
    def from_features(cls, encoder: FaceEncoder, features: Sequence[str], **kw) -> PresenceMatcher:
        return cls(encoder, [text_to_features(f) for f in features], **kw)

    def is_operator(self, vector: np.ndarray) -> bool:
        distance = float(np.min(np.linalg.norm(self.reference - vector, axis=1)))
        return distance <= self.threshold

    def __call__(self, image: np.ndarray, faces: Sequence[Face]) -> tuple[bool | None, ...]:
        now = self._clock()
        self._known = [k for k in self._known if now - k[2] < self.recheck_s]
        verdicts: list[bool | None] = []
        budget = 1
        # The largest face first: it is the one working at the counter.
        order = sorted(range(len(faces)), key=lambda i: -faces[i].w * faces[i].h)
        found: dict[int, bool | None] = {}
        for i in order:
            f = faces[i]
            box = (f.x, f.y, f.w, f.h)
            known = [k for k in self._known if _iou(k[0], box) >= self.same_place]
            if known:
                found[i] = max(known, key=lambda k: _iou(k[0], box))[1]
            elif budget > 0:
                budget -= 1
                self.embeddings += 1
                verdict = self.is_operator(self.encoder.embed_box(image, box))
                self._known.append((box, verdict, now))
                found[i] = verdict
            else:
                found[i] = None
        verdicts = [found[i] for i in range(len(faces))]
        return tuple(verdicts)
