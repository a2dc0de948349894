"""Face features for tests, computed once per test session from generated frames
(testbed/camera/face_set.py): the virtual camera's operator (the astronaut) and LFW faces."""
from __future__ import annotations

from functools import lru_cache

import numpy as np


@lru_cache(maxsize=1)
def encoder():
    from drivers.camera.recognition import FaceEncoder, QualityRules

    # LFW crops are 25 px photographs upscaled ×6: too soft for the product's sharpness rule,
    # which tests/camera/test_face_recognition.py checks on its own.
    return FaceEncoder(rules=QualityRules(min_sharpness=0.0))


@lru_cache(maxsize=None)
def features(identity: int, variant_seed: int) -> str:
    """Wire features of one rendering of ``identity`` (seed 0: the plain rendering)."""
    from testbed.camera import face_set

    rng = np.random.default_rng(variant_seed)
    variant = face_set.Variant() if variant_seed == 0 else face_set.Variant(
        width=int(rng.integers(120, 190)), gain=float(rng.uniform(0.8, 1.15)),
        offset=float(rng.uniform(-10, 10)), angle=float(rng.uniform(-6, 6)))
    sample = encoder().analyse(face_set.frame(identity, rng, variant))
    assert sample.features is not None, sample.quality
    return sample.features


def operator_captures(n: int = 4, identity: int = -1) -> list[str]:
    return [features(identity, seed) for seed in range(n)]
