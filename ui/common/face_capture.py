"""The operator's face at the terminal camera (顔の撮影), for the pages that take it: the login's face
step (顔認証) and the security admin's enrolment (顔認証の登録); a lock that asks for the face would
use it too.

``FaceCapture.take`` runs one capture through the page's operations: the camera and the model run
in the worker (``FaceStation.sample`` in ui/devices/face.py), and what the page does with the sample
(send it to the centre) may run there too. A poor capture (no face, too dark, …) is never sent; the
clerk reads in Japanese what to change (``quality_message``), or that there is no camera or model
(``capture_error_message``). No image leaves this module's callers; only features do.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication

from app.biometrics import BiometricProvider, NoUsableCapture, Sample
from ui.common.ops import Failure, PageOps

#: The colour of the face pages' progress and result lines (errors are red, ``widgets.ERROR_STYLE``).
STATUS_STYLE = "color: #1b3a5c;"


def quality_message(issues: tuple[str, ...]) -> str:
    """What the clerk should change, for the first quality issue of a capture."""
    texts = {
        "no_face": QCoreApplication.translate("FaceQuality", "顔が見つかりません。カメラの正面を向いてください"),
        "several_faces": QCoreApplication.translate(
            "FaceQuality", "複数の顔が映っています。職員本人だけがカメラに映るようにしてください"),
        "too_small": QCoreApplication.translate("FaceQuality", "顔が小さすぎます。カメラに近づいてください"),
        "too_dark": QCoreApplication.translate("FaceQuality", "暗すぎます。照明を確認してください"),
        "too_bright": QCoreApplication.translate("FaceQuality", "明るすぎます。逆光を避けてください"),
        "blurry": QCoreApplication.translate("FaceQuality", "画像がぼやけています。動かずにカメラを見てください"),
        "off_centre": QCoreApplication.translate("FaceQuality", "顔を画面の中央に合わせてください"),
    }
    for issue in issues:
        if issue in texts:
            return texts[issue]
    return QCoreApplication.translate("FaceQuality", "顔を撮影できませんでした。もう一度お試しください")


def capture_error_message(exc: BaseException) -> str:
    """The clerk's message for a failed capture (no camera, no model) or a quality refusal."""
    if isinstance(exc, NoUsableCapture):
        return quality_message(exc.issues)
    return QCoreApplication.translate(
        "FaceQuality", "カメラまたは顔認証の機能を利用できません。情報主管課に連絡してください")


class Station(Protocol):
    """The terminal camera with its face provider (``ui.devices.face.FaceStation``)."""

    @property
    def provider(self) -> BiometricProvider: ...

    def sample(self) -> Sample: ...


class FaceCapture:
    """One page's captures: ``station`` is None on a terminal without a camera."""

    def __init__(self, station: Station | None, ops: PageOps) -> None:
        self.station = station
        self._ops = ops

    def take(self, on_done: Callable[[Any], None], on_failed: Callable[[Failure], None],
             then: Callable[[Station, Sample], Any] | None = None) -> bool:
        """Capture in the background and hand the sample to ``on_done`` — or what
        ``then(station, sample)`` makes of it, still in the worker. Without a camera the page is
        told so and nothing runs (False)."""
        station = self.station
        if station is None:
            self._ops.say(capture_error_message(RuntimeError("no station")), True)
            return False

        def job() -> Any:
            sample = station.sample()  # camera + model, in the worker thread
            return then(station, sample) if then is not None else sample

        self._ops.run(job, on_done, on_failed)
        return True

    @staticmethod
    def message(failure: Failure) -> str:
        """The centre's (or the network's) message, else what went wrong with the capture."""
        if failure.problem is not None or failure.offline:
            return failure.message
        return capture_error_message(failure.exc)
