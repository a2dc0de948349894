"""Source → real detector → default policy: scripted reaction times on a synthetic counter session."""

from __future__ import annotations

import pytest

from app.onlooker import Observation, OnlookerConfig, OnlookerPolicy
from drivers.camera import GatedSsdDetector, HaarFaceDetector, SsdFaceDetector
from testbed.camera.detector_eval import scripted_latencies


@pytest.mark.parametrize("make", [GatedSsdDetector, SsdFaceDetector, HaarFaceDetector], ids=["gated", "ssd", "haar"])
def test_default_policy_reaction_times_with_a_real_detector(make):
    cfg = OnlookerConfig()
    frame = 1 / 5.0  # scripted at 5 fps
    lat = scripted_latencies(make(), OnlookerPolicy(cfg, start=0.0), Observation, fps=5.0)
    print(lat)
    assert lat["false_shields_while_alone"] == 0
    # one missed detection is tolerated: k frames, plus one frame of slack
    assert lat["onlooker_to_shield"] is not None and lat["onlooker_to_shield"] <= cfg.k * frame + 1e-6
    assert lat["left_to_clear"] is not None
    assert (cfg.m - 1) * frame - 1e-6 <= lat["left_to_clear"] <= (cfg.m + 2) * frame
    for fault in ("covered_to_shield", "frozen_to_shield"):  # fail closed well within 1 s
        assert lat[fault] is not None and lat[fault] <= min(1.0, cfg.fault_after_s + frame + 1e-6)
