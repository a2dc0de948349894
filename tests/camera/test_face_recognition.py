"""The face provider (drivers/camera/recognition.py): quality grading, the embedding separates the
operator from other generated faces, the 68-point model (not licensed for commercial use) is never
loaded, and a face capture writes no image and no embedding anywhere."""
from __future__ import annotations

import ast
import os
import sys
import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from app.biometrics import BiometricProvider, NoUsableCapture, best_sample
from drivers.camera.detectors import Face
from drivers.camera.recognition import (BLURRY, NO_FACE, OFF_CENTRE, SEVERAL_FACES, TOO_DARK,
                                        TOO_SMALL, FaceEncoder, FaceProvider, model_paths)
from testbed.camera import face_set

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def provider():
    return FaceProvider(FaceEncoder())


def test_the_provider_has_the_shape_of_the_app_port(provider):
    assert isinstance(provider, BiometricProvider)
    assert provider.name == "face" and provider.model == "dlib-resnet-v1"


def test_only_the_5_point_and_resnet_models_are_used():
    five, resnet = model_paths()
    assert five.name == "shape_predictor_5_face_landmarks.dat"
    assert resnet.name == "dlib_face_recognition_resnet_model_v1.dat"
    # No code (docstrings aside) anywhere names the 68-point model or its locator.
    for room in ("app", "ui", "drivers", "central", "bench"):
        for path in (REPO / room).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                          if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef))
                          and n.body and isinstance(n.body[0], ast.Expr)}
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                        and id(node) not in docstrings:
                    assert "68_face" not in node.value, path
                if isinstance(node, ast.Attribute):
                    assert node.attr != "pose_predictor_model_location", path


def test_quality_grades(provider):
    enc = provider.encoder
    rng = np.random.default_rng(0)
    good = face_set.frame(face_set.ASTRONAUT, rng)
    assert enc.analyse(good).quality.ok
    assert enc.analyse(np.full((480, 640, 3), 160, np.uint8)).quality.issues == (NO_FACE,)
    dark = enc.analyse(face_set.frame(face_set.ASTRONAUT, rng, face_set.Variant(gain=0.25)))
    assert TOO_DARK in dark.quality.issues and dark.embedding is None
    blurred = enc.analyse(cv2.GaussianBlur(good, (0, 0), 5))
    assert BLURRY in blurred.quality.issues
    small = enc.analyse(face_set.frame(face_set.ASTRONAUT, rng, face_set.Variant(width=60)))
    assert TOO_SMALL in small.quality.issues
    q, _ = enc.grade(good, [Face(250, 150, 140, 140, 0.99), Face(40, 40, 120, 120, 0.9)])
    assert SEVERAL_FACES in q.issues
    q, _ = enc.grade(good, [Face(0, 0, 120, 120, 0.99)])
    assert OFF_CENTRE in q.issues


def test_same_face_close_other_faces_far(provider):
    enc = provider.encoder
    rng = np.random.default_rng(5)

    def emb(identity):
        v = face_set.Variant(width=int(rng.integers(130, 180)), gain=float(rng.uniform(0.8, 1.1)),
                             angle=float(rng.uniform(-5, 5)))
        s = enc.analyse(face_set.frame(identity, rng, v))
        assert s.embedding is not None, s.quality
        return s.embedding

    op = [emb(face_set.ASTRONAUT) for _ in range(3)]
    assert max(np.linalg.norm(op[0] - e) for e in op[1:]) < 0.35
    for other in (3, 17, 42, 61):
        assert np.linalg.norm(op[0] - emb(other)) > 0.5


def test_best_sample_skips_poor_captures_and_says_why(provider):
    blank = np.full((480, 640, 3), 160, np.uint8)
    with pytest.raises(NoUsableCapture) as err:
        best_sample(provider, [blank, blank])
    assert err.value.issues == (NO_FACE,)
    s = best_sample(provider, [blank, face_set.frame(face_set.ASTRONAUT)])
    assert s.quality.ok and len(s.features) == 684  # base64 of 128 float32


def test_enrolment_keeps_features_only(provider):
    frames = [face_set.frame(face_set.ASTRONAUT, np.random.default_rng(i)) for i in range(3)]
    e = provider.enrol(frames + [np.full((480, 640, 3), 160, np.uint8)])
    assert len(e.samples) == 3 and [q.issues for q in e.rejected] == [(NO_FACE,)]
    assert len(e.template) == 3 * 128 * 4
    assert "embedding" not in repr(e) and "samples" not in repr(e)


_events: list[tuple] = []
_recording = threading.Event()
_WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _audit(event, args):
    if not _recording.is_set():
        return
    if event == "open":
        _path, mode, flags = args
        if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & _WRITE):
            _events.append((event, args))
    elif event.startswith(("socket.", "os.rename", "os.replace", "shutil.", "os.mkdir")):
        _events.append((event, args))


sys.addaudithook(_audit)


def test_a_face_capture_writes_nothing(provider, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("imwrite", "imencode", "VideoWriter"):
        monkeypatch.setattr(cv2, name, lambda *a, **k: pytest.fail("image output"))
    frames = [face_set.frame(face_set.ASTRONAUT, np.random.default_rng(i)) for i in range(3)]
    provider.sample(frames[0])  # models loaded before recording
    _recording.set()
    try:
        provider.enrol(frames)
        best_sample(provider, frames)
    finally:
        _recording.clear()
    assert _events == [] and list(tmp_path.iterdir()) == []


def _centre_face(enc, image):
    faces = enc.detector.detect(image)
    assert faces
    return max(faces, key=lambda f: f.w * f.h)


def test_presence_matcher_tells_the_operator_from_someone_else(provider):
    """在席確認: the reference is the accepted login capture (its wire form, as the login sent it);
    the operator's face in a later frame matches, another person's does not."""
    from drivers.camera.recognition import PresenceMatcher, features_to_text

    enc = provider.encoder
    rng = np.random.default_rng(11)
    login = enc.analyse(face_set.frame(face_set.ASTRONAUT, rng))
    now = [100.0]
    matcher = PresenceMatcher.from_features(enc, [login.features], clock=lambda: now[0])
    later = face_set.frame(face_set.ASTRONAUT, rng, face_set.Variant(gain=0.8, offset=10, noise=4))
    assert matcher(later, (_centre_face(enc, later),)) == (True,)
    for identity in (3, 17, 42):
        other = face_set.frame(identity, rng)
        now[0] += 10  # a later moment: nothing remembered from the operator's place
        assert matcher(other, (_centre_face(enc, other),)) == (False,), identity
    assert features_to_text(matcher.reference[0]) == login.features


def test_presence_matcher_embeds_at_most_one_face_per_frame_and_remembers_places(provider):
    from drivers.camera.recognition import PresenceMatcher

    enc = provider.encoder
    rng = np.random.default_rng(5)
    image = face_set.frame(face_set.ASTRONAUT, rng)
    face = _centre_face(enc, image)
    now = [0.0]
    reference = enc.embed_box(image, (face.x, face.y, face.w, face.h))
    matcher = PresenceMatcher(enc, [reference], clock=lambda: now[0], recheck_s=3.0)
    far = Face(10, 10, face.w // 2, face.h // 2, 0.9)
    assert matcher(image, (face, far))[0] is True  # the larger face is checked first...
    assert matcher.embeddings == 1                # ...and only it in this frame
    now[0] = 1.0
    assert matcher(image, (face,)) == (True,) and matcher.embeddings == 1  # same place, remembered
    now[0] = 3.5
    assert matcher(image, (face,)) == (True,) and matcher.embeddings == 2  # checked again later


def test_presence_matcher_refuses_a_malformed_reference(provider):
    from drivers.camera.recognition import PresenceMatcher

    with pytest.raises(ValueError):
        PresenceMatcher.from_features(provider.encoder, ["not base64!"])
    with pytest.raises(ValueError):
        PresenceMatcher.from_features(provider.encoder, ["AAAA"])
    with pytest.raises(ValueError):
        PresenceMatcher(provider.encoder, [])
