"""The first security administrator set up from the command line under the default face policy
(AUTH-1, #21 class 12): operator, right and face, each from the CLI, then a real two-step login.
Photographs are generated (testbed/camera/face_set.py: the virtual camera's operator)."""
from __future__ import annotations

import io
import json
import stat
from dataclasses import replace

import cv2
import numpy as np
import pytest

from central.api import create_app
from central.biometrics import FACE_MODEL
from central.cli import main as cli_main
from testbed.camera import face_set
from tests.faces import features
from tools.face_capture import main as capture_main

ASTRONAUT = -1


@pytest.fixture
def required(central, monkeypatch):
    """The product default: every operator needs an enrolled face."""
    monkeypatch.setenv("MADOGUCHI_DATA_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
    central.settings = replace(central.settings, face_policy="required")
    central.app = create_app(central.settings, central.engine)
    return central


def _photos(tmp_path, n=3, identity=ASTRONAUT) -> list[str]:
    paths = []
    for seed in range(n):
        rng = np.random.default_rng(seed)
        variant = face_set.Variant(width=int(rng.integers(140, 180)),
                                   gain=float(rng.uniform(0.9, 1.1)))
        path = tmp_path / f"photo{seed}.png"
        assert cv2.imwrite(str(path), face_set.frame(identity, rng, variant))
        paths.append(str(path))
    return paths


def _cli(central, *argv, stdin: str | None = None, monkeypatch=None) -> int:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli_main(["--database-url", central.settings.database_url, *argv])


def test_the_first_admin_is_set_up_entirely_from_the_command_line(required, tmp_path, monkeypatch,
                                                                   capsys):
    c = required
    assert _cli(c, "create-operator", "secadm", "--name", "情報 管理子",
                "--password-stdin", stdin="first-admin-secret-1\n", monkeypatch=monkeypatch) == 0
    c.passwords["secadm"] = "first-admin-secret-1"
    assert _cli(c, "grant", "secadm", "security_admin") == 0
    login = {"login_id": "secadm", "password": "first-admin-secret-1"}
    r = c.client().post("/v1/sessions", json=login)
    assert r.status_code == 403 and r.json()["code"] == "biometric_not_enrolled"

    captures = tmp_path / "secadm-face.json"
    assert capture_main(["--out", str(captures), *sum((["--image", p] for p in _photos(tmp_path)),
                                                      [])]) == 0
    assert stat.S_IMODE(captures.stat().st_mode) == 0o600
    assert json.loads(captures.read_text())["model"] == FACE_MODEL
    assert _cli(c, "enrol-face", "secadm", "--captures", str(captures),
                "--by", "it-staff") == 0
    assert not captures.exists()  # the person's features do not stay on disk
    assert "face enrolled for secadm (3 captures)" in capsys.readouterr().out
    row = c.audit_rows("biometrics.enrol")[-1]
    assert (row.operator_login, row.subject) == ("cli:it-staff", "operator:secadm")

    client = c.client()
    r = client.post("/v1/sessions", json=login)
    assert r.status_code == 201 and r.json()["pending_factors"] == ["face"], r.text
    client.headers["Authorization"] = f"Bearer {r.json()['token']}"
    r = client.post("/v1/sessions/current/factors/face",
                    json={"model": FACE_MODEL, "features": features(ASTRONAUT, 9)})
    assert r.status_code == 200, r.text
    assert client.get("/v1/admin/rights").status_code == 200  # a working security admin


def test_enrol_face_refuses_what_is_not_a_features_file(required, tmp_path, capsys):
    required.operator("secadm", ["security_admin"])
    junk = tmp_path / "junk.json"
    for content in ("not json", json.dumps({"model": "other-model", "captures": ["x"]}),
                    json.dumps({"captures": [1, 2]})):
        junk.write_text(content)
        assert _cli(required, "enrol-face", "secadm", "--captures", str(junk),
                    "--by", "it") == 1
        assert "refused:" in capsys.readouterr().err
    missing = tmp_path / "none.json"
    assert _cli(required, "enrol-face", "secadm", "--captures", str(missing),
                "--by", "it") == 1
    # good features for an unknown operator: refused, the file kept for another try
    captures = tmp_path / "face.json"
    assert capture_main(["--out", str(captures), "--image", _photos(tmp_path, 1)[0]]) == 0
    assert _cli(required, "enrol-face", "nobody", "--captures", str(captures),
                "--by", "it") == 1
    assert "no operator 'nobody'" in capsys.readouterr().err and captures.exists()


def test_face_capture_names_a_photo_without_a_clear_face(tmp_path, capsys):
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((480, 640, 3), 170, np.uint8))
    out = tmp_path / "face.json"
    assert capture_main(["--out", str(out), "--image", str(blank)]) == 1
    err = capsys.readouterr().err
    assert "blank.png: not used (no_face)" in err and not out.exists()
    with pytest.raises(SystemExit, match="not an image"):
        capture_main(["--out", str(out), "--image", str(tmp_path / "missing.png")])
