"""Frame sources (映像入力): a ``FrameSource`` protocol and three implementations.

* ``DeviceSource`` — a camera by device index through ``cv2.VideoCapture``.
* ``VideoFileSource`` — a video file (tests, recorded demos; read only).
* ``SyntheticSceneSource`` (in ``synthetic.py``) — generated frames with explicit timestamps.

``CaptureWorker`` runs any source in its own ``threading.Thread`` (never on the GUI thread), passes
each frame to a detector and hands the *metadata only* (faces, health, size, timestamp) to a callback.
Frames stay in memory: nothing here writes an image to disk or sends one anywhere.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import cv2
import numpy as np

from drivers.camera.detectors import Face, FaceDetector
from drivers.camera.health import FrameHealth, HealthChecker

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Frame:
    """One BGR ``uint8`` frame and the time it was taken (seconds, monotonic or scripted)."""

    image: np.ndarray
    timestamp: float
    index: int


@runtime_checkable
class FrameSource(Protocol):
    """Something that yields frames. ``read`` returns ``None`` when no frame could be had
    (camera missing/unplugged, read failure, end of file)."""

    def open(self) -> bool: ...

    def read(self) -> Frame | None: ...

    def close(self) -> None: ...


class DeviceSource:
    """A camera by index (``cv2.VideoCapture(index)``). ``read`` blocks for the next frame."""

    def __init__(self, index: int = 0, *, width: int = 640, height: int = 480, fps: float = 5.0,
                 api_preference: int | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.index = index
        self.width, self.height, self.fps = width, height, fps
        self._api = api_preference
        self._clock = clock
        self._cap: cv2.VideoCapture | None = None
        self._count = 0

    def open(self) -> bool:
        cap = cv2.VideoCapture(self.index) if self._api is None else cv2.VideoCapture(self.index, self._api)
        if not cap.isOpened():
            cap.release()
            return False
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        cap.set(cv2.CAP_PROP_FPS, self.fps)
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # analyse the newest frame, not a queued old one
        self._cap = cap
        return True

    def read(self) -> Frame | None:
        if self._cap is None:
            return None
        ok, image = self._cap.read()
        if not ok or image is None:
            return None
        self._count += 1
        return Frame(image, self._clock(), self._count - 1)

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


class VideoFileSource:
    """Frames from a video file; timestamps come from the file's frame rate (or ``fps``)."""

    def __init__(self, path: str | os.PathLike[str], *, fps: float | None = None, start: float = 0.0) -> None:
        self.path = os.fspath(path)
        self._fps = fps
        self._start = start
        self._cap: cv2.VideoCapture | None = None
        self._count = 0

    def open(self) -> bool:
        cap = cv2.VideoCapture(self.path)
        if not cap.isOpened():
            cap.release()
            return False
        if self._fps is None:
            self._fps = cap.get(cv2.CAP_PROP_FPS) or 5.0
        self._cap = cap
        return True

    def read(self) -> Frame | None:
        if self._cap is None:
            return None
        ok, image = self._cap.read()
        if not ok or image is None:
            return None
        frame = Frame(image, self._start + self._count / float(self._fps or 5.0), self._count)
        self._count += 1
        return frame

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


@dataclass(frozen=True, slots=True)
class FrameResult:
    """What leaves the camera thread: metadata only, never pixels."""

    timestamp: float
    faces: tuple[Face, ...]
    health: FrameHealth
    width: int
    height: int
    detect_ms: float = 0.0
    # Per face: the operator (True), someone else (False) or not known (None); empty when the
    # worker has no ``identify`` (presence check, 在席確認).
    verdicts: tuple[bool | None, ...] = ()


@dataclass(frozen=True, slots=True)
class NoFrame:
    """No frame at ``timestamp``: ``reason`` is ``"missing"`` (camera absent, unplugged, end of
    file) or ``"error"`` (the driver or the detector raised)."""

    timestamp: float
    reason: str = "missing"


@dataclass(slots=True)
class WorkerStats:
    frames: int = 0
    missing: int = 0
    errors: int = 0
    detect_ms: deque[float] = field(default_factory=lambda: deque(maxlen=1000))  # recent timings only


Identify = Callable[[np.ndarray, tuple[Face, ...]], tuple[bool | None, ...]]


def process_frame(frame: Frame, detector: FaceDetector, checker: HealthChecker,
                  identify: Identify | None = None) -> FrameResult:
    """Health check + face detection on one frame (no detection on an unhealthy frame), and with
    ``identify`` a verdict per face (is it the logged-in operator?)."""
    health = checker.check(frame.image)
    faces: tuple[Face, ...] = ()
    verdicts: tuple[bool | None, ...] = ()
    ms = 0.0
    if health.ok:
        t0 = time.perf_counter()
        faces = tuple(detector.detect(frame.image))
        ms = (time.perf_counter() - t0) * 1000.0
        if identify is not None and faces:
            verdicts = tuple(identify(frame.image, faces))
    h, w = frame.image.shape[:2]
    return FrameResult(frame.timestamp, faces, health, w, h, ms, verdicts)


class CaptureWorker:
    """Runs ``source`` → health check → ``detector`` in a background thread.

    ``on_result`` receives a ``FrameResult`` or ``NoFrame`` from the worker thread; a Qt caller
    forwards it with a queued signal. ``pace`` (frames per second) throttles sources that do not
    block (synthetic, files); ``None`` reads as fast as the source delivers.
    """

    def __init__(self, source: FrameSource, detector: FaceDetector,
                 on_result: Callable[[FrameResult | NoFrame], None], *, pace: float | None = None,
                 retry_open_s: float = 2.0, clock: Callable[[], float] = time.monotonic,
                 max_frames: int | None = None, identify: Identify | None = None) -> None:
        self.source = source
        self.detector = detector
        self.identify = identify
        self.on_result = on_result
        self.pace = pace
        self.retry_open_s = retry_open_s
        self.max_frames = max_frames
        self._clock = clock
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="camera-capture", daemon=True)
        self.stats = WorkerStats()

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    @property
    def thread(self) -> threading.Thread:
        return self._thread

    def _run(self) -> None:
        checker = HealthChecker()
        opened = False
        try:
            while not self._stop.is_set():
                if not opened:
                    opened = self.source.open()
                    if not opened:
                        self.stats.missing += 1
                        self.on_result(NoFrame(self._clock(), "missing"))
                        self._stop.wait(self.retry_open_s)
                        continue
                try:
                    frame = self.source.read()
                    result = None if frame is None else process_frame(frame, self.detector, checker,
                                                                      self.identify)
                except Exception:  # noqa: BLE001 - a failing driver/model must fail closed, not kill the thread
                    log.exception("camera pipeline failed")
                    frame, result = None, None
                    self.stats.errors += 1
                    self.on_result(NoFrame(self._clock(), "error"))
                    self._stop.wait(self.retry_open_s)
                    continue
                if result is None:
                    self.stats.missing += 1
                    self.on_result(NoFrame(self._clock(), "missing"))
                    self.source.close()
                    opened = False
                    self._stop.wait(self.retry_open_s)
                    continue
                del frame  # the pixels die here
                self.stats.frames += 1
                if result.health.ok:
                    self.stats.detect_ms.append(result.detect_ms)
                self.on_result(result)
                if self.max_frames is not None and self.stats.frames >= self.max_frames:
                    break
                if self.pace:
                    self._stop.wait(1.0 / self.pace)
        finally:
            self.source.close()
