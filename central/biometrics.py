"""生体認証: enrolled biometric templates and the server-side comparison (AUTH-1/2/5).

The terminal never stores a template and never receives one. It sends *features* only (for the face
provider: 128-number embeddings of the dlib ResNet model, as base64 of little-endian float32), never
an image. Enrolment (the security admin, K-AUTH-5) sends several captures' embeddings; the server
checks them, keeps them AES-GCM encrypted with a sub-key of the data key (as the My Number), and the
associated data binds each ciphertext to the operator's login ID and the provider, so a template
copied onto another operator's row does not decrypt (生体情報はユーザＩＤに紐づけ, 000 L3418).

Login compares the probe with the decrypted template here, on the server, and records every
attempt with the terminal (K-AUTH-9). Provider registry: ``MATCHERS`` maps a provider name to its
matcher; a palm-vein provider adds a matcher with its own wire format and threshold (K-AUTH-2).

Pure Python on purpose: 128 multiplications need no numpy in the central API.
"""
from __future__ import annotations

import base64
import binascii
import math
import os
import struct
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .crypto import _derive

FACE = "face"
FACE_MODEL = "dlib-resnet-v1"  # drivers/camera/recognition.py MODEL_ID; a test keeps them equal
_NONCE = 12
_AAD = b"madoguchi:biometric-template:v1"


class TemplateCipher:
    """AES-GCM for stored templates, bound to (login ID, provider) by the associated data."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    @classmethod
    def from_master(cls, master: bytes) -> "TemplateCipher":
        return cls(_derive(master, b"biometric-template-aes-gcm"))

    @staticmethod
    def _aad(login_id: str, provider: str) -> bytes:
        return b"\n".join([_AAD, provider.encode(), login_id.encode()])

    def encrypt(self, raw: bytes, login_id: str, provider: str) -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + self._aead.encrypt(nonce, raw, self._aad(login_id, provider))

    def decrypt(self, blob: bytes, login_id: str, provider: str) -> bytes:
        return self._aead.decrypt(blob[:_NONCE], blob[_NONCE:], self._aad(login_id, provider))


class FeatureError(ValueError):
    """Features that cannot be a capture of this provider (wrong size, not finite, implausible)."""

    def __init__(self, code: str, message: str, message_ja: str) -> None:
        super().__init__(message)
        self.code, self.message_ja = code, message_ja


@dataclass(frozen=True)
class EnrolmentCheck:
    """The server's quality verdict on a set of captures (no vectors in it)."""

    ok: bool
    captures: int
    spread: float  # largest distance between two captures
    code: str | None = None
    message: str = ""
    message_ja: str = ""

    def report(self) -> dict[str, object]:
        return {"captures": self.captures, "spread": round(self.spread, 3)}


@dataclass(frozen=True)
class FaceMatcher:
    """dlib ResNet face embeddings (128-d); a match is a Euclidean distance to the centroid of the
    enrolled captures at or below ``threshold``.

    dlib's published operating point is 0.6 (99.38 % on LFW pairs); the product default is 0.5,
    stricter, because a false accept lets someone work under another's login (AUTH-7) while a false
    reject costs a retry. ``bench/face_verify.py`` measures both rates on the generated set.
    """

    threshold: float = 0.5
    dim: int = 128
    min_captures: int = 3
    max_captures: int = 10
    max_spread: float = 0.4  # captures further apart than this are not one person's face
    provider: str = FACE
    model: str = FACE_MODEL

    def parse(self, text: str) -> list[float]:
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise FeatureError("biometric_features_invalid", "features are not base64",
                               "特徴量の形式が正しくありません") from None
        if len(raw) != 4 * self.dim:
            raise FeatureError("biometric_features_invalid",
                               f"features must be {self.dim} float32 values",
                               "特徴量の形式が正しくありません")
        vec = list(struct.unpack(f"<{self.dim}f", raw))
        if not all(math.isfinite(v) for v in vec):
            raise FeatureError("biometric_features_invalid", "features are not finite",
                               "特徴量の形式が正しくありません")
        norm = math.sqrt(sum(v * v for v in vec))
        if not 0.3 <= norm <= 3.0:  # dlib descriptors have a norm near 1
            raise FeatureError("biometric_features_invalid", "features are implausible",
                               "特徴量の形式が正しくありません")
        return vec

    def pack(self, vectors: list[list[float]]) -> bytes:
        return b"".join(struct.pack(f"<{self.dim}f", *v) for v in vectors)

    def unpack(self, raw: bytes) -> list[list[float]]:
        size = 4 * self.dim
        return [list(struct.unpack(f"<{self.dim}f", raw[i:i + size]))
                for i in range(0, len(raw), size)]

    @staticmethod
    def distance(a: list[float], b: list[float]) -> float:
        return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b)))

    def check_enrolment(self, vectors: list[list[float]]) -> EnrolmentCheck:
        n = len(vectors)
        spread = max((self.distance(vectors[i], vectors[j])
                      for i in range(n) for j in range(i + 1, n)), default=0.0)
        if n < self.min_captures:
            return EnrolmentCheck(False, n, spread, "enrolment_quality",
                                  f"at least {self.min_captures} captures are needed",
                                  f"撮影が{self.min_captures}回以上必要です")
        if n > self.max_captures:
            return EnrolmentCheck(False, n, spread, "enrolment_quality",
                                  f"at most {self.max_captures} captures",
                                  f"撮影は{self.max_captures}回までです")
        if spread > self.max_spread:
            return EnrolmentCheck(False, n, spread, "enrolment_quality",
                                  "the captures do not look like one person's face",
                                  "撮影した顔が一致しません。同じ職員だけがカメラに映るようにして"
                                  "撮り直してください")
        return EnrolmentCheck(True, n, spread)

    def score(self, template: bytes, probe: list[float]) -> float:
        """Distance of ``probe`` to the centroid of the enrolled captures."""
        vectors = self.unpack(template)
        centroid = [sum(col) / len(vectors) for col in zip(*vectors)]
        return self.distance(centroid, probe)

    def matches(self, score: float) -> bool:
        return score <= self.threshold


def matchers(face_threshold: float) -> dict[str, FaceMatcher]:
    """Provider name -> matcher (a vein provider would be added here)."""
    return {FACE: FaceMatcher(threshold=face_threshold)}
