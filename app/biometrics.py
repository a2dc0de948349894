"""生体認証プロバイダ (biometric providers, AUTH-1/2): the port the client's login and enrolment
use, so that a palm-vein (or ID-card) provider can be added beside the shipped face provider.

A provider turns *captures* (camera frames for the face; a vein sensor's reading later) into
*features*, grading each capture's quality first. It never compares and never stores: the central
API holds the encrypted templates and decides (central/biometrics.py, central/factors.py). What a
provider gives the client is wire text (base64 features) and quality codes, never an image.

The face provider is ``drivers.camera.recognition.FaceProvider`` (wired in by ``ui/main.py``).
Here: the protocol, and the two use cases (verify one login factor, build an enrolment) over it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class SampleQuality(Protocol):
    """A capture's grade: ``issues`` are provider codes (e.g. ``no_face``, ``blurry``)."""

    @property
    def ok(self) -> bool: ...

    @property
    def issues(self) -> tuple[str, ...]: ...


@runtime_checkable
class Sample(Protocol):
    """One analysed capture: its quality and, when good enough, its features (wire text)."""

    @property
    def quality(self) -> SampleQuality: ...

    @property
    def features(self) -> str | None: ...


@runtime_checkable
class Enrolment(Protocol):
    """Features of the good captures (``template`` = their packed bytes) and the rejected ones."""

    @property
    def samples(self) -> tuple[str, ...]: ...

    @property
    def rejected(self) -> tuple[SampleQuality, ...]: ...

    @property
    def template(self) -> bytes: ...


@runtime_checkable
class BiometricProvider(Protocol):
    """``name`` is the factor the central API asks for (``face``); ``model`` names the feature
    model, which must equal the enrolled template's."""

    name: str
    model: str

    def sample(self, capture: Any) -> Sample: ...

    def enrol(self, captures: Sequence[Any]) -> Enrolment: ...


class NoUsableCapture(Exception):
    """No capture was good enough to send; ``issues`` says why (the last capture's codes)."""

    def __init__(self, issues: tuple[str, ...]) -> None:
        super().__init__(", ".join(issues) or "no capture")
        self.issues = issues


def best_sample(provider: BiometricProvider, captures: Iterable[Any]) -> Sample:
    """The first capture good enough to send; ``NoUsableCapture`` with the last issues if none.

    Poor captures are not sent to the server, so they cost the operator no try.
    """
    issues: tuple[str, ...] = ()
    for capture in captures:
        s = provider.sample(capture)
        if s.quality.ok and s.features is not None:
            return s
        issues = tuple(s.quality.issues)
    raise NoUsableCapture(issues)


@dataclass(frozen=True)
class FactorResult:
    verified: str
    pending_factors: tuple[str, ...]
    expires_at: str | None


def verify_factor(provider: BiometricProvider, captures: Iterable[Any],
                  send: Callable[[str, str, str], dict[str, Any]]) -> FactorResult:
    """One login attempt: pick a good capture, send its features (``send(provider, model,
    features)`` = ``CentralClient.verify_factor``); the server compares and audits."""
    s = best_sample(provider, captures)
    answer = send(provider.name, provider.model, s.features or "")
    return FactorResult(str(answer.get("verified") or provider.name),
                        tuple(answer.get("pending_factors") or ()), answer.get("expires_at"))
