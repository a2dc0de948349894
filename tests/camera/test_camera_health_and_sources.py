"""Frame-health checks and frame sources on generated frames (real OpenCV)."""

from __future__ import annotations

import threading

import cv2
import numpy as np
import pytest

from drivers.camera import (
    CaptureWorker,
    DeviceSource,
    FrameResult,
    FrameSource,
    HealthChecker,
    NoFrame,
    Scene,
    SyntheticSceneSource,
    VideoFileSource,
    assess,
    is_dark,
    is_frozen,
    is_uniform,
    render_scene,
)
from drivers.camera.health import small_gray


class NoDetector:
    name = "none"
    model = "none"

    def detect(self, image):
        return []


def frame_of(scene: Scene, seed: int = 0) -> np.ndarray:
    image, _ = render_scene(scene, np.random.default_rng(seed))
    return image


def test_normal_scene_frames_are_healthy_and_consecutive_frames_are_not_frozen():
    checker = HealthChecker()
    source = SyntheticSceneSource([(10, Scene(onlookers=1))], seed=3)
    faults = [checker.check(source.read().image).fault for _ in range(10)]
    assert faults == [None] * 10


@pytest.mark.parametrize("gain", [0.6, 1.1])
def test_dim_or_bright_offices_are_not_mistaken_for_a_covered_camera(gain):
    gray = small_gray(frame_of(Scene(gain=gain)))
    assert not is_dark(gray) and not is_uniform(gray)


def test_covered_and_uniform_frames_are_detected():
    dark = small_gray(frame_of(Scene(condition="covered")))
    flat = small_gray(frame_of(Scene(condition="uniform")))
    assert is_dark(dark) and assess(dark, None).fault == "dark"
    assert is_uniform(flat) and not is_dark(flat) and assess(flat, None).fault == "uniform"


def test_frozen_means_bit_identical_to_the_previous_frame():
    source = SyntheticSceneSource([(1, Scene()), (3, Scene(condition="frozen"))], seed=1)
    frames = [source.read().image for _ in range(4)]
    assert all(np.array_equal(frames[1], f) for f in frames[1:])
    checker = HealthChecker()
    assert [checker.check(f).fault for f in frames] == [None, "frozen", "frozen", "frozen"]
    a, b = small_gray(frame_of(Scene(), 1)), small_gray(frame_of(Scene(), 2))
    assert not is_frozen(a, b) and is_frozen(a, a.copy()) and not is_frozen(a, None)


def test_synthetic_source_timeline_timestamps_missing_and_end():
    source = SyntheticSceneSource([(2, Scene()), (2, Scene(condition="missing")), (1, Scene(onlookers=2))],
                                  fps=4.0, start=10.0)
    assert isinstance(source, FrameSource)
    got = [source.read() for _ in range(6)]
    assert [g is None for g in got] == [False, False, True, True, False, True]
    assert [g.timestamp for g in got if g is not None] == [10.0, 10.25, 11.0]
    assert got[0].image.shape == (480, 640, 3) and got[0].image.dtype == np.uint8
    assert source.total_frames == 5


def test_video_file_source_reads_a_generated_video(tmp_path):
    # a *test fixture* video made from synthetic frames (no camera frame is ever written by the product)
    path = tmp_path / "scene.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 5.0, (320, 240))
    assert writer.isOpened()
    rng = np.random.default_rng(0)
    for i in range(6):
        image, _ = render_scene(Scene(condition="covered" if i >= 4 else "ok"), rng, size=(320, 240))
        writer.write(image)
    writer.release()
    source = VideoFileSource(path)
    assert source.open()
    frames = []
    while (frame := source.read()) is not None:
        frames.append(frame)
    source.close()
    assert len(frames) == 6
    assert [f.timestamp for f in frames] == pytest.approx([i / 5.0 for i in range(6)])
    checker = HealthChecker()
    assert [checker.check(f.image).fault for f in frames][3:] == [None, "dark", "dark"]
    assert not VideoFileSource(tmp_path / "absent.avi").open()


def test_capture_worker_runs_in_its_own_thread_and_hands_over_metadata_only():
    source = SyntheticSceneSource([(6, Scene(onlookers=1)), (2, Scene(condition="covered"))], seed=2)
    results: list = []
    threads: set[int] = set()
    done = threading.Event()

    def on_result(result):
        threads.add(threading.get_ident())
        results.append(result)
        if isinstance(result, NoFrame):
            done.set()

    worker = CaptureWorker(source, NoDetector(), on_result, retry_open_s=0.05)
    worker.start()
    assert done.wait(20.0)
    worker.stop()
    assert not worker.running
    assert threads and threading.get_ident() not in threads
    frames = [r for r in results if isinstance(r, FrameResult)]
    assert len(frames) == 8
    assert [r.health.fault for r in frames] == [None] * 6 + ["dark", "dark"]
    for r in frames:  # no pixels leave the thread
        assert not any(isinstance(v, np.ndarray) for v in (r.timestamp, r.faces, r.health, r.width))


def test_device_source_without_a_camera_reports_missing():
    source = DeviceSource(97)  # no such device on a test machine
    reports = []
    got = threading.Event()

    def on_result(result):
        reports.append(result)
        got.set()

    worker = CaptureWorker(source, NoDetector(), on_result, retry_open_s=10.0)
    worker.start()
    assert got.wait(20.0)
    worker.stop()
    assert isinstance(reports[0], NoFrame) and reports[0].reason == "missing"
    assert source.read() is None


class BrokenDetector:
    name = "broken"
    model = "none"

    def detect(self, image):
        raise RuntimeError("model crashed")


def test_a_crashing_detector_is_reported_as_a_camera_error_and_the_thread_survives():
    source = SyntheticSceneSource([(50, Scene())], seed=1)
    reports = []
    two = threading.Event()

    def on_result(result):
        reports.append(result)
        if len(reports) >= 2:
            two.set()

    worker = CaptureWorker(source, BrokenDetector(), on_result, retry_open_s=0.01)
    worker.start()
    assert two.wait(20.0)
    assert worker.running
    worker.stop()
    assert all(isinstance(r, NoFrame) and r.reason == "error" for r in reports[:2])
    assert worker.stats.errors >= 2 and worker.stats.frames == 0
