"""PRIV-1 / DEV-1: a whole camera session writes no frame anywhere (disk or network)."""

from __future__ import annotations

import os
import sys
import threading

import cv2
import pytest

from app.onlooker import Action, Observation, OnlookerConfig, OnlookerPolicy, Reason
from drivers.camera import CaptureWorker, FrameResult, NoFrame, Scene, SsdFaceDetector, SyntheticSceneSource

_recording = threading.Event()
_events: list[tuple] = []
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _audit(event: str, args: tuple) -> None:
    if not _recording.is_set():
        return
    if event == "open":
        _path, mode, flags = args
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE_FLAGS)
        if writing:
            _events.append((event, args))
    elif event.startswith(("socket.", "os.rename", "os.replace", "shutil.", "os.mkdir", "os.remove")):
        _events.append((event, args))


sys.addaudithook(_audit)  # audit hooks cannot be removed; it only records while _recording is set


@pytest.fixture
def forbid_image_output(monkeypatch):
    calls: list[str] = []

    def refuse(name):
        def _refuse(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"cv2.{name} called during a camera session")
        return _refuse

    for name in ("imwrite", "imencode", "imwritemulti", "VideoWriter"):
        monkeypatch.setattr(cv2, name, refuse(name))
    return calls


def test_a_session_writes_no_frame(tmp_path, monkeypatch, forbid_image_output):
    monkeypatch.chdir(tmp_path)
    detector = SsdFaceDetector()  # models are *read* before the session starts
    timeline = [(8, Scene()), (8, Scene(onlookers=1)), (4, Scene(condition="frozen")),
                (4, Scene(condition="covered")), (6, Scene(onlookers=2)), (6, Scene())]
    source = SyntheticSceneSource(timeline, fps=5.0, seed=11)
    policy = OnlookerPolicy(OnlookerConfig(k=2, m=3), start=0.0)
    decisions = []
    finished = threading.Event()

    def on_result(result):
        if isinstance(result, NoFrame):
            finished.set()
            return
        assert isinstance(result, FrameResult)
        obs = Observation(result.timestamp, result.faces, fault=result.health.fault, frame_width=result.width)
        decisions.append(policy.observe(obs))

    worker = CaptureWorker(source, detector, on_result, retry_open_s=30.0, clock=lambda: source.next_timestamp)
    before = sorted(os.listdir(tmp_path))
    _events.clear()
    _recording.set()
    try:
        worker.start()
        assert finished.wait(60.0)
    finally:
        _recording.clear()
        worker.stop()
    assert worker.stats.frames == source.total_frames == 36
    assert _events == [] and forbid_image_output == []
    assert sorted(os.listdir(tmp_path)) == before == []
    # the session really ran: it saw the onlookers and the covered and frozen camera
    reasons = {d.reason for d in decisions if d.action is Action.SHIELD}
    assert {Reason.ONLOOKER, Reason.CAMERA_COVERED, Reason.CAMERA_FROZEN} <= reasons
    assert decisions[-1].action is Action.CLEAR


def test_the_guard_itself_catches_a_write(tmp_path, monkeypatch, forbid_image_output):
    monkeypatch.chdir(tmp_path)
    _events.clear()
    _recording.set()
    try:
        with open("leak.bin", "wb") as fh:
            fh.write(b"x")
        with pytest.raises(AssertionError):
            cv2.imwrite("frame.png", None)
    finally:
        _recording.clear()
    assert any(e == "open" for e, _ in _events)
    assert forbid_image_output == ["imwrite"]
