"""Camera driver: frame sources, frame-health checks and face detectors. No Qt, no app imports.

Frames are numpy arrays that never touch disk or network; only metadata (face boxes, scores, health)
leaves the capture thread.
"""

import os

# Slow MSMF camera open on Windows (opencv/opencv#17687); must be set before cv2 is imported.
os.environ.setdefault("OPENCV_VIDEOIO_MSMF_ENABLE_HW_TRANSFORMS", "0")

from drivers.camera.detectors import (  # noqa: E402
    Face,
    FaceDetector,
    HaarFaceDetector,
    ModelNotFound,
    SsdFaceDetector,
    available_detectors,
)
from drivers.camera.gated import GatedSsdDetector  # noqa: E402
from drivers.camera.health import FrameHealth, HealthChecker, assess, is_dark, is_frozen, is_uniform  # noqa: E402
from drivers.camera.sources import (  # noqa: E402
    CaptureWorker,
    DeviceSource,
    Frame,
    FrameResult,
    FrameSource,
    NoFrame,
    VideoFileSource,
    process_frame,
)
from drivers.camera.synthetic import Scene, SyntheticSceneSource, render_scene  # noqa: E402

__all__ = [
    "CaptureWorker", "DeviceSource", "Face", "FaceDetector", "Frame", "FrameHealth", "FrameResult",
    "FrameSource", "GatedSsdDetector", "HaarFaceDetector", "HealthChecker", "ModelNotFound", "NoFrame", "Scene",
    "SsdFaceDetector", "SyntheticSceneSource", "VideoFileSource", "assess", "available_detectors",
    "is_dark", "is_frozen", "is_uniform", "process_frame", "render_scene",
]
