"""The embedded central API for demo mode (デモ用の中央サーバー).

``madoguchi --demo`` starts the central API as a child process::

    python -m central.cli demo --data-dir DIR --ready-file FILE

and waits until FILE holds JSON like::

    {"url": "http://127.0.0.1:PORT", "device_id": "...",
     "device_key_file": "/path/key.pem",
     "demo_operators": [{"login_id": "...", "password": "...", "role": "..."}]}

The child is terminated when the terminal quits (and, on Linux, if the
terminal process dies, the kernel sends it SIGTERM).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

DEFAULT_DATA_DIR = Path("~/.local/share/madoguchi-demo")
READY_TIMEOUT_SECONDS = 120.0


class EmbeddedCentralError(RuntimeError):
    """The demo central API could not be started."""


@dataclass(frozen=True)
class CentralInfo:
    """What the demo central API announced in its ready file."""

    url: str
    device_id: str
    device_key_file: Path
    demo_operators: tuple[dict[str, str], ...] = field(default=(), repr=False)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CentralInfo:
        try:
            return cls(
                url=str(data["url"]),
                device_id=str(data["device_id"]),
                device_key_file=Path(data["device_key_file"]),
                demo_operators=tuple(
                    {str(k): str(v) for k, v in op.items()}
                    for op in data.get("demo_operators") or ()
                ),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise EmbeddedCentralError(f"ready file is incomplete: {exc!r}") from exc


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
    except Exception:  # noqa: BLE001 - best effort only
        pass


def default_command(data_dir: Path, ready_file: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "central.cli",
        "demo",
        "--data-dir",
        str(data_dir),
        "--ready-file",
        str(ready_file),
    ]


class EmbeddedCentral:
    """Starts, waits for and stops the demo central API child process."""

    def __init__(
        self,
        data_dir: Path | str = DEFAULT_DATA_DIR,
        command: Callable[[Path, Path], Sequence[str]] = default_command,
        demo_faces: Sequence[str] = (),
    ) -> None:
        self.data_dir = Path(data_dir).expanduser()
        self._command = command
        # Face features of the virtual camera's operator: the child enrols the demo accounts
        # with them on first run (AUTH-1 in the demo), then deletes the hand-over file.
        self._demo_faces = list(demo_faces)
        self._tmp: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def ready_file(self) -> Path:
        if self._tmp is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="madoguchi-ready-"))
        return self._tmp / "central-ready.json"

    def start(
        self,
        timeout: float = READY_TIMEOUT_SECONDS,
        progress: TextIO | None = None,
        poll_interval: float = 0.1,
        progress_interval: float = 5.0,
    ) -> CentralInfo:
        """Start the child and block until it is ready (or raise EmbeddedCentralError)."""
        progress = progress if progress is not None else sys.stderr
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise EmbeddedCentralError(f"cannot use data directory {self.data_dir}: {exc}") from exc
        ready_file = self.ready_file
        argv = list(self._command(self.data_dir, ready_file))
        if self._demo_faces:
            faces_file = ready_file.with_name("demo-faces.json")
            faces_file.touch(mode=0o600)
            faces_file.write_text(json.dumps(self._demo_faces), encoding="utf-8")
            argv += ["--demo-faces", str(faces_file)]
        print(
            f"デモ用の中央サーバーを起動しています… / starting the demo central API "
            f"(data: {self.data_dir})",
            file=progress,
            flush=True,
        )
        try:
            self.process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
        except OSError as exc:
            raise EmbeddedCentralError(f"cannot start {argv[0]}: {exc}") from exc
        started = time.monotonic()
        next_report = started + progress_interval
        while True:
            info = self._read_ready(ready_file)
            if info is not None:
                print(
                    f"中央サーバーの準備ができました / central API ready at {info.url}",
                    file=progress,
                    flush=True,
                )
                return info
            code = self.process.poll()
            if code is not None:
                raise EmbeddedCentralError(
                    f"demo central API exited with code {code} before it was ready"
                )
            now = time.monotonic()
            if now - started > timeout:
                self.stop()
                raise EmbeddedCentralError(
                    f"demo central API was not ready after {timeout:.0f} s"
                )
            if now >= next_report:
                print(
                    f"  …待機中 {now - started:.0f} 秒 / still waiting ({now - started:.0f} s)",
                    file=progress,
                    flush=True,
                )
                next_report = now + progress_interval
            time.sleep(poll_interval)

    @staticmethod
    def _read_ready(ready_file: Path) -> CentralInfo | None:
        try:
            text = ready_file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            return None  # still being written
        if not isinstance(data, dict):
            return None
        return CentralInfo.from_json(data)

    def stop(self, grace: float = 10.0) -> None:
        """Terminate the child (SIGTERM, then SIGKILL after ``grace`` seconds)."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> EmbeddedCentral:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def has_display(env: dict[str, str] | os._Environ[str] | None = None, platform: str = sys.platform) -> bool:
    """Whether Qt can open a window here (画面の有無).

    On Linux and other X11/Wayland systems that means DISPLAY or
    WAYLAND_DISPLAY is set, or QT_QPA_PLATFORM names a platform explicitly
    (offscreen, vnc, …). Windows and macOS always have one.
    """
    env = os.environ if env is None else env
    if platform in ("win32", "darwin"):
        return True
    return any(env.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))
