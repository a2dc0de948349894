"""The terminal camera behind the privacy shield (覗き込み監視, PRIV-1).

``OnlookerGuard`` runs only while an operator is logged in and the screen is unlocked: ``start``
opens the camera in a worker thread (``drivers.camera.CaptureWorker``), feeds its metadata to an
``OnlookerController`` (policy from the centre: k, m, absence time, fail-closed rule) which drives the
``PrivacyShield``; ``stop`` releases the camera (the app is locked, logged out or closing) and
lifts the shield. Every shield, presence lock and camera fault is reported to the centre when it
ends, with its reason, start and duration and never an image.

``CameraChoice`` is the ``--camera`` option: ``synthetic`` (the built-in virtual camera: an
operator alone at the counter), ``device:N`` (an OpenCV device index), ``none`` (no camera: with
the fail-closed rule the screen stays shielded, by design), ``auto`` (device 0 if it opens,
else the virtual camera in demo mode, else none).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from app.api_client import SessionPolicy
from app.onlooker import Action, Decision, OnlookerConfig, OnlookerPolicy, Reason
from drivers.camera.detectors import FaceDetector, available_detectors
from drivers.camera.sources import CaptureWorker, DeviceSource, Frame, FrameSource, Identify
from drivers.camera.synthetic import Scene, SyntheticSceneSource
from ui.shell.privacy_shield import OnlookerController, PrivacyShield

log = logging.getLogger(__name__)

DEFAULT_FPS = 5.0


@dataclass(frozen=True)
class CameraChoice:
    """Which camera watches the counter (``--camera``)."""

    kind: str  # "synthetic" | "device" | "none"
    index: int = 0

    @classmethod
    def parse(cls, text: str, *, demo: bool) -> CameraChoice:
        text = (text or "auto").strip().lower()
        if text == "auto":
            if device_available(0):
                return cls("device", 0)
            return cls("synthetic") if demo else cls("none")
        if text in ("synthetic", "virtual"):
            return cls("synthetic")
        if text == "none":
            return cls("none")
        if text.startswith("device:") and text[7:].isdigit():
            return cls("device", int(text[7:]))
        raise ValueError(f"unknown camera {text!r}: use auto, synthetic, device:N or none")


def device_available(index: int) -> bool:
    source = DeviceSource(index)
    try:
        return source.open()
    except Exception:  # noqa: BLE001 - any backend failure means "not available"
        return False
    finally:
        source.close()


class VirtualCounterCamera:
    """The built-in virtual camera: the operator alone at the counter, looping.

    ``show_onlooker(seconds)`` lets a demo presenter make someone look over the clerk's shoulder
    for a while (then the scene goes back to the operator alone by itself).
    """

    def __init__(self, fps: float = DEFAULT_FPS, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._alone = SyntheticSceneSource([(1000, Scene())], fps=fps, seed=11, loop=True)
        self._onlooker = SyntheticSceneSource([(1000, Scene(onlookers=1))], fps=fps, seed=12, loop=True)
        self._until = 0.0
        self._lock = threading.Lock()

    def show_onlooker(self, seconds: float = 5.0) -> None:
        with self._lock:
            self._until = self._clock() + seconds

    def open(self) -> bool:
        return True

    def read(self) -> Frame | None:
        with self._lock:
            source = self._onlooker if self._clock() < self._until else self._alone
        frame = source.read()
        if frame is None:
            return None
        return Frame(frame.image, self._clock(), frame.index)

    def close(self) -> None:
        pass


def config_from_policy(policy: SessionPolicy) -> OnlookerConfig:
    return OnlookerConfig(k=max(1, policy.onlooker_k), m=max(1, policy.onlooker_m),
                          t=max(1.0, float(policy.absent_seconds)),
                          fail_closed=policy.camera_fail_closed,
                          min_score=max(0.0, float(policy.onlooker_min_score)))


class LazyDetector:
    """A detector made on first use, by whichever thread uses it first (the camera's)."""

    def __init__(self, make: Callable[[], FaceDetector]) -> None:
        self._make = make
        self._real: FaceDetector | None = None
        self._lock = threading.Lock()

    def detect(self, image):  # type: ignore[no-untyped-def]
        if self._real is None:
            with self._lock:
                if self._real is None:
                    try:
                        self._real = self._make()
                    except Exception as exc:
                        log.error("face detector unavailable: %s", exc)
                        raise
        return self._real.detect(image)


def default_detector() -> FaceDetector:
    found = available_detectors()
    if not found:
        raise RuntimeError("no face detector model is installed")
    return found[0]


class OnlookerGuard(QObject):
    """Camera → policy → shield while a session is open; announces each event when it ends.

    ``lock_requested(reason)`` is emitted when the operator has been away for the policy's time
    ("operator_absent") or someone else sits at the counter ("operator_changed": with
    ``make_identify`` and the login capture given by ``set_operator``, 在席確認);
    ``event_finished(event, reason, started_at, duration_ms)`` when a shield, presence lock or
    camera fault ends (or the guard stops), for the audit (no image, ever).
    """

    lock_requested = Signal(str)
    state_changed = Signal(str)  # "watching" | "stopped" | "fault"
    event_finished = Signal(str, str, object, int)
    observed = Signal(object)  # every camera result (metadata only: boxes, health) for a preview

    def __init__(self, shield: PrivacyShield, choice: CameraChoice, *,
                 make_source: Callable[[CameraChoice], FrameSource | None] | None = None,
                 make_detector: Callable[[], FaceDetector] = default_detector,
                 fps: float = DEFAULT_FPS, clock: Callable[[], float] = time.monotonic,
                 make_identify: Callable[[str], Identify] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._make_identify = make_identify
        self._operator_features: str | None = None
        self.shield = shield
        self.choice = choice
        self.fps = fps
        self._make_source = make_source or self._default_source
        self._make_detector = make_detector
        self._clock = clock
        self._detector: FaceDetector | None = None
        self.virtual: VirtualCounterCamera | None = None
        self.worker: CaptureWorker | None = None
        self.controller: OnlookerController | None = None
        self._event: tuple[Decision, float, dt.datetime] | None = None

    @property
    def running(self) -> bool:
        return self.worker is not None

    def choices(self, probe: int = 4) -> list[tuple[str, str]]:
        """Cameras this terminal could use, as (spec, Japanese label); probes device indices, so
        call it off the GUI thread. The camera in use is always listed (it is busy, so a probe
        of it may fail). The virtual camera only where it is already in use (demo, tests): a
        real counter never switches its protection to a fake camera, nor to none."""
        from PySide6.QtCore import QCoreApplication

        found = [("device:%d" % i,
                  QCoreApplication.translate("CameraChoice", "カメラ %1").replace("%1", str(i)))
                 for i in range(probe)
                 if (self.choice.kind == "device" and self.choice.index == i) or device_available(i)]
        if self.choice.kind == "synthetic" or self.virtual is not None:
            found.append(("synthetic",
                          QCoreApplication.translate("CameraChoice", "仮想カメラ（デモ・試験用）")))
        if self.choice.kind == "none":
            found.append(("none", QCoreApplication.translate("CameraChoice", "カメラなし")))
        return found

    @property
    def spec(self) -> str:
        return f"device:{self.choice.index}" if self.choice.kind == "device" else self.choice.kind

    def switch(self, spec: str, policy: SessionPolicy | None) -> None:
        """Use another camera from now on (the admin's choice on this terminal); restarts the
        watch when ``policy`` is given (a session is open and unlocked)."""
        choice = CameraChoice.parse(spec, demo=True)
        if choice == self.choice:
            return
        self.stop()
        self.choice = choice
        if policy is not None:
            self.start(policy)

    def set_operator(self, features: str | None) -> None:
        """The logged-in operator's accepted login capture (memory only), or None at session end.
        Takes effect at the next ``start``."""
        self._operator_features = features

    def _identify(self) -> Identify | None:
        if self._make_identify is None or self._operator_features is None:
            return None
        try:
            return self._make_identify(self._operator_features)
        except Exception as exc:  # noqa: BLE001 - no presence check: the count rule still holds
            log.error("presence check unavailable: %s", type(exc).__name__)
            return None

    def _default_source(self, choice: CameraChoice) -> FrameSource | None:
        if choice.kind == "synthetic":
            if self.virtual is None:
                self.virtual = VirtualCounterCamera(self.fps)
            return self.virtual
        if choice.kind == "device":
            return DeviceSource(choice.index, fps=self.fps)
        return None

    def start(self, policy: SessionPolicy) -> None:
        """Open the camera and watch (fails closed until the first good frames arrive)."""
        if self.worker is not None:
            return
        controller = OnlookerController(self.shield, OnlookerPolicy(config_from_policy(policy),
                                                                    start=self._clock()),
                                        clock=self._clock, parent=self)
        controller.decision_changed.connect(self._on_decision)
        self.controller = controller
        self._on_decision(controller.policy.decision)
        source = self._make_source(self.choice)
        if source is None:  # no camera at all: the policy's tick decides (fail closed or not)
            controller.start()
            self.state_changed.emit("fault")
            return
        if self._detector is None:
            # The model loads on the camera thread at its first frame, not here on the GUI
            # thread (≈0.1 s). No model: every frame fails, so the screen stays shielded.
            self._detector = LazyDetector(self._make_detector)
        def deliver(result: object) -> None:  # camera thread: metadata only, never pixels
            controller.submit(result)
            self.observed.emit(result)

        self.worker = CaptureWorker(source, self._detector, deliver, pace=self.fps,
                                    clock=self._clock, identify=self._identify())
        controller.start()
        self.worker.start()
        self.state_changed.emit("watching")

    def stop(self) -> None:
        """Release the camera and lift the shield (locked, logged out or closing)."""
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.stop()
            worker.source.close()
        controller, self.controller = self.controller, None
        if controller is not None:
            controller.stop()
            controller.decision_changed.disconnect(self._on_decision)
            controller.deleteLater()
        self._finish_event()
        self.shield.apply(Decision.clear())
        self.state_changed.emit("stopped")

    # -- events (監査) ------------------------------------------------------

    def _on_decision(self, decision: Decision) -> None:
        if self._event is not None and self._event[0] != decision:
            self._finish_event()
        if decision.action is not Action.CLEAR and self._event is None:
            self._event = (decision, self._clock(), dt.datetime.now(dt.timezone.utc))
        if decision.action is Action.LOCK:
            self.lock_requested.emit((decision.reason or Reason.OPERATOR_ABSENT).value)

    def _finish_event(self) -> None:
        event, self._event = self._event, None
        if event is None:
            return
        decision, started, started_at = event
        duration_ms = int(max(0.0, self._clock() - started) * 1000)
        reason = decision.reason or Reason.ONLOOKER
        if decision.action is Action.LOCK:
            kind = "presence_lock"
        elif reason.is_camera_fault:
            kind = "camera_fault"
        else:
            kind = "privacy_shield"
        self.event_finished.emit(kind, reason.value, started_at, duration_ms)
