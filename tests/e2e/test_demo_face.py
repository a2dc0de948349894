"""The demo logs in through the face step (AUTH-1): `central.cli demo` started the way the client
starts it, the demo accounts enrolled from the virtual camera's operator, and the virtual camera's
next frames verifying clerk01; the hand-over file of features is gone once read."""
from __future__ import annotations

import pytest

from app.api_client import ApiError, CentralClient
from app.device_key import DeviceKey, DeviceSigner
from app.embedded_central import EmbeddedCentral
from tests.faces import features
from ui.devices.camera import CameraChoice
from ui.devices.face import FaceStation, demo_enrolment_features


def test_demo_accounts_log_in_with_the_virtual_camera_face(tmp_path):
    central = EmbeddedCentral(tmp_path / "demo", demo_faces=demo_enrolment_features())
    info = central.start(timeout=180)
    try:
        assert not list(central.ready_file.parent.glob("demo-faces*"))
        client = CentralClient(info.url, DeviceSigner(DeviceKey.load(info.device_key_file,
                                                                     info.device_id)))
        clerk = next(o for o in info.demo_operators if o["login_id"] == "clerk01")
        session = client.login(clerk["login_id"], clerk["password"])
        assert session.pending_factors == ("face",)
        with pytest.raises(ApiError) as err:  # someone else's face at the camera
            client.verify_factor("face", "dlib-resnet-v1", features(42, 1))
        assert err.value.code == "biometric_mismatch" and err.value.tries_left == 4
        client.logout()  # cancelling the face step abandons the pending login
        session = client.login(clerk["login_id"], clerk["password"])
        station = FaceStation(CameraChoice("synthetic"))
        sample = station.sample()
        answer = client.verify_factor("face", station.provider.model, sample.features)
        assert answer["pending_factors"] == [] and client.session.pending_factors == ()
        assert client.health()["status"] == "ok"
        client.logout()
        client.close()
    finally:
        central.stop()
