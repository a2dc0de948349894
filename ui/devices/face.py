"""The camera and the face provider behind the face step and the enrolment screen (AUTH-1/5).

``FaceStation`` belongs to the composition root (ui/main.py): it knows which camera to open
(``CameraChoice``: the virtual camera in the demo, a device, or none) and holds the shipped provider
(``drivers.camera.recognition.FaceProvider``). Its methods block (camera open, model load ~1 s,
~150 ms per analysed frame), so pages call them only through the runner, off the GUI thread. Frames
live in memory for the duration of one call; only features and quality codes come out.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import numpy as np

from app.biometrics import BiometricProvider, Sample, best_sample
from drivers.camera.sources import DeviceSource, FrameSource
from ui.devices.camera import CameraChoice, VirtualCounterCamera


class CameraUnavailable(RuntimeError):
    """No camera is configured or it cannot be opened."""


class FaceStation:
    """Grabs frames from the terminal camera and turns them into a face sample."""

    def __init__(self, choice: CameraChoice, provider: BiometricProvider | None = None, *,
                 make_source: Callable[[CameraChoice], FrameSource | None] | None = None,
                 warmup_frames: int = 2, frames: int = 5) -> None:
        self.choice = choice
        self._provider = provider
        self._make_source = make_source or self._default_source
        self.warmup_frames = warmup_frames  # auto-exposure settles on a real camera
        self.frames = frames
        self._lock = threading.Lock()
        self.virtual: VirtualCounterCamera | None = None

    @property
    def provider(self) -> BiometricProvider:
        if self._provider is None:  # the model loads on first use, in a worker thread
            from drivers.camera.recognition import FaceProvider

            self._provider = FaceProvider()
        return self._provider

    def _default_source(self, choice: CameraChoice) -> FrameSource | None:
        if choice.kind == "synthetic":
            if self.virtual is None:
                self.virtual = VirtualCounterCamera()
            return self.virtual
        if choice.kind == "device":
            return DeviceSource(choice.index)
        return None

    def grab(self, count: int | None = None) -> list[np.ndarray]:
        """``count`` frames from the camera (opened and released within the call)."""
        count = count or self.frames
        with self._lock:
            source = self._make_source(self.choice)
            if source is None or not source.open():
                raise CameraUnavailable("no camera")
            try:
                images = []
                for i in range(self.warmup_frames + count):
                    frame = source.read()
                    if frame is None:
                        break
                    if i >= self.warmup_frames or self.warmup_frames == 0:
                        images.append(frame.image)
                    if self.choice.kind == "device":
                        time.sleep(0.05)
            finally:
                source.close()
        if not images:
            raise CameraUnavailable("the camera gave no frame")
        return images

    def sample(self) -> Sample:
        """The first good capture among a few frames (``NoUsableCapture`` if none)."""
        return best_sample(self.provider, self.grab())


def demo_enrolment_features(count: int = 4) -> list[str]:
    """Features of the virtual camera's operator for the demo accounts' enrolment (demo only)."""
    station = FaceStation(CameraChoice("synthetic"), warmup_frames=0)
    return list(station.provider.enrol(station.grab(count + 2)).samples[:count])
