"""Verified client updates (TUF, python-tuf's ngclient) (#9).

The terminal trusts one root metadata file, installed with the client and pinned by SHA-256 in the
municipality-signed terminal configuration (``update_root_sha256``). From it, python-tuf verifies
the timestamp, snapshot and targets metadata (signatures, thresholds, expiry, version numbers never
going back) and then the release file's length and SHA-256. Only a file that passed all of that is
handed to the installer (dpkg / msiexec), and only when its version is newer than the running one:
a valid but older release is refused as a rollback.

    python -m app.updates check   --repo URL --state DIR --root FILE --platform linux-deb --current 0.1.0
    python -m app.updates install --repo URL --state DIR --root FILE --platform linux-deb --current 0.1.0 \\
        [--root-sha256 HEX] [--installer "dpkg -i {file}"]

``URL`` is ``https://…/`` or ``file:///…/`` (a file share or a USB stick for offline rollout).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from tuf.api import exceptions as tuf_errors
from tuf.api.metadata import Metadata
from tuf.ngclient import Updater
from tuf.ngclient.fetcher import FetcherInterface


class UpdateError(RuntimeError):
    def __init__(self, code: str, message_ja: str, message_en: str) -> None:
        super().__init__(f"{code}: {message_en}")
        self.code = code
        self.message_ja = message_ja
        self.message_en = message_en


@dataclass(frozen=True)
class Release:
    name: str
    version: str
    platform: str
    length: int
    sha256: str


def version_key(version: str) -> tuple[int, ...]:
    if not re.fullmatch(r"\d+(\.\d+){0,3}", version):
        raise ValueError(f"not a release version: {version!r}")
    return tuple(int(part) for part in version.split("."))


class FileFetcher(FetcherInterface):
    """``file://`` URLs (a share or removable medium); everything else goes to python-tuf's HTTPS
    fetcher. A missing file is a 404, as the TUF client workflow expects."""

    def __init__(self) -> None:
        self._http: FetcherInterface | None = None

    def _fetch(self, url: str) -> Iterator[bytes]:
        parsed = urlparse(url)
        if parsed.scheme != "file":
            if self._http is None:
                from tuf.ngclient import Urllib3Fetcher

                self._http = Urllib3Fetcher()
            return self._http._fetch(url)  # noqa: SLF001 - delegating the same interface
        path = Path(unquote(parsed.path))
        if not path.is_file():
            raise tuf_errors.DownloadHTTPError(f"{path} not found", 404)
        return self._chunks(path)

    @staticmethod
    def _chunks(path: Path) -> Iterator[bytes]:
        with path.open("rb") as f:
            while chunk := f.read(1 << 16):
                yield chunk


_REFUSED_JA = "更新を中止しました。配布元のメタデータまたはファイルを検証できません。"


def _refusal(exc: Exception) -> UpdateError:
    kinds = [
        (tuf_errors.ExpiredMetadataError, "expired", "更新情報（メタデータ）の有効期限が切れています。",
         "update metadata has expired"),
        (tuf_errors.BadVersionNumberError, "rollback", "更新情報が以前より古い版に戻されています（ロールバック）。",
         "update metadata was rolled back to an older version"),
        (tuf_errors.LengthOrHashMismatchError, "tampered", "配布ファイルの長さまたはハッシュが署名済みの値と一致しません。",
         "the release file does not match its signed length and hash"),
        (tuf_errors.UnsignedMetadataError, "bad_signature", "更新情報の署名が正しくありません。",
         "update metadata is not signed by the trusted keys"),
        (tuf_errors.RepositoryError, "repository", "更新情報が不正です。", "the update repository is invalid"),
        (tuf_errors.DownloadError, "download", "更新情報を取得できません。", "the update repository cannot be reached"),
    ]
    for kind, code, ja, en in kinds:
        if isinstance(exc, kind):
            return UpdateError(code, f"{_REFUSED_JA}{ja}", f"Update refused: {en} ({type(exc).__name__}: {exc}).")
    return UpdateError("error", _REFUSED_JA, f"Update refused: {type(exc).__name__}: {exc}.")


class ClientUpdater:
    """Finds, verifies and installs a newer client release for one platform."""

    def __init__(self, repo_url: str, state_dir: Path, trusted_root: Path, *, platform: str,
                 current_version: str, root_sha256: str | None = None) -> None:
        self.platform = platform
        self.current = version_key(current_version)
        state_dir = Path(state_dir)
        self.metadata_dir = metadata_dir = state_dir / "metadata"
        self.target_dir = state_dir / "targets"
        metadata_dir.mkdir(parents=True, exist_ok=True)
        self.target_dir.mkdir(parents=True, exist_ok=True)
        bootstrap: bytes | None = None
        if not (metadata_dir / "root.json").exists():
            # First use: the installed root, which must be the one the configuration pins.
            bootstrap = Path(trusted_root).read_bytes()
            if root_sha256 and hashlib.sha256(bootstrap).hexdigest() != root_sha256:
                raise UpdateError("root_pin", "更新の信頼起点（root.json）が端末設定の固定値と一致しません。",
                                  f"The trusted update root {trusted_root} does not match the configuration's pin.")
        # Later: the root chain already verified and kept by python-tuf (it may have been rotated).
        base = repo_url.rstrip("/") + "/"
        try:
            self._updater = Updater(str(metadata_dir), base + "metadata/", str(self.target_dir),
                                    base + "targets/", fetcher=FileFetcher(), bootstrap=bootstrap)
        except (tuf_errors.RepositoryError, OSError, ValueError) as exc:
            raise _refusal(exc) from exc
        self._refreshed = False

    def _refresh(self) -> None:
        if not self._refreshed:
            try:
                self._updater.refresh()
            except Exception as exc:  # noqa: BLE001 - every TUF failure is a refusal
                raise _refusal(exc) from exc
            self._refreshed = True

    def latest(self) -> Release | None:
        """The newest release for this platform that is newer than the running client, or None."""
        self._refresh()
        # The top-level targets as python-tuf persisted them after verifying them in refresh();
        # download() looks each one up again through get_targetinfo().
        targets = Metadata.from_file(str(self.metadata_dir / "targets.json")).signed.targets
        best: Release | None = None
        for name, target in targets.items():
            custom = target.unrecognized_fields.get("custom") or {}
            if custom.get("platform") != self.platform:
                continue
            try:
                key = version_key(str(custom.get("version")))
            except ValueError:
                continue
            if key > self.current and (best is None or key > version_key(best.version)):
                best = Release(name, str(custom["version"]), self.platform, target.length,
                               target.hashes.get("sha256", ""))
        return best

    def download(self, name: str) -> tuple[Release, Path]:
        """Verify metadata, then download ``name`` and verify its length and hash; refuses a
        release that is not newer than the running client (a rollback)."""
        self._refresh()
        try:
            info = self._updater.get_targetinfo(name)
        except Exception as exc:  # noqa: BLE001
            raise _refusal(exc) from exc
        if info is None:
            raise UpdateError("unknown", "指定された版は署名済みの更新情報にありません。",
                              f"{name} is not a signed release.")
        custom = info.unrecognized_fields.get("custom") or {}
        if custom.get("platform") != self.platform:
            raise UpdateError("platform", "この端末用の更新ではありません。",
                              f"{name} is for {custom.get('platform')}, not {self.platform}.")
        version = str(custom.get("version"))
        if version_key(version) <= self.current:
            raise UpdateError("rollback", "現在より古い（または同じ）版へは更新できません（ロールバック）。",
                              f"Update refused: {version} is not newer than the running client (rollback).")
        try:
            path = self._updater.find_cached_target(info) or self._updater.download_target(info)
        except Exception as exc:  # noqa: BLE001
            raise _refusal(exc) from exc
        return Release(name, version, self.platform, info.length, info.hashes.get("sha256", "")), Path(path)

    def install(self, name: str, installer: Callable[[Path], None]) -> Release:
        """Download and verify, then hand the verified file to ``installer`` (never before)."""
        release, path = self.download(name)
        installer(path)
        return release


def command_installer(template: str) -> Callable[[Path], None]:
    """An installer that runs ``template`` with ``{file}`` replaced (e.g. ``dpkg -i {file}``)."""
    def run(path: Path) -> None:
        argv = [part.replace("{file}", str(path)) for part in shlex.split(template)]
        subprocess.run(argv, check=True)
    return run


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.updates")
    p.add_argument("action", choices=("check", "install"))
    p.add_argument("--repo", required=True, help="repository base URL (https:// or file://)")
    p.add_argument("--state", type=Path, required=True, help="this terminal's update state folder")
    p.add_argument("--root", type=Path, required=True, help="the installed trusted 1.root.json")
    p.add_argument("--root-sha256", default=None, help="the pin from the terminal configuration")
    p.add_argument("--platform", required=True, choices=("linux-deb", "windows-msi"))
    p.add_argument("--current", required=True, help="the running client's version")
    p.add_argument("--installer", default=None, help='e.g. "dpkg -i {file}" or "msiexec /i {file} /qn"')
    args = p.parse_args(argv)
    try:
        updater = ClientUpdater(args.repo, args.state, args.root, platform=args.platform,
                                current_version=args.current, root_sha256=args.root_sha256)
        release = updater.latest()
        if release is None:
            print(f"up to date ({args.current})")
            return 0
        if args.action == "check":
            print(f"update available: {release.version} ({release.name})")
            return 0
        installer = command_installer(args.installer) if args.installer else (lambda path: print(f"verified {path}"))
        updater.install(release.name, installer)
        print(f"installed {release.version}")
        return 0
    except UpdateError as exc:
        print(f"{exc.message_ja}\n{exc.message_en}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
