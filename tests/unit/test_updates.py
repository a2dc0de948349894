"""Verified client updates (#9): python-tuf metadata made here with keys made here; the updater
installs a verified release and refuses a tampered file, expired metadata and rollbacks."""

import hashlib
import json
import shutil

import pytest

from app.updates import ClientUpdater, UpdateError
from tools import release_repo


@pytest.fixture()
def repo(tmp_path):
    root, keys = tmp_path / "repo", tmp_path / "keys"
    release_repo.init(root, keys)
    payload = tmp_path / "madoguchi_0.2.0_amd64.deb"
    payload.write_bytes(b"!<arch>\n" + bytes(range(256)) * 64)
    release_repo.add_release(root, keys, payload, version="0.2.0", platform="linux-deb")
    return root, keys, payload


def _updater(tmp_path, root, *, current="0.1.0", state="state", **kw):
    return ClientUpdater(root.as_uri(), tmp_path / state, root / "metadata" / "1.root.json",
                         platform="linux-deb", current_version=current, **kw)


def test_a_newer_release_is_verified_then_installed(tmp_path, repo):
    root, _keys, payload = repo
    up = _updater(tmp_path, root, root_sha256=release_repo.root_sha256(root))
    release = up.latest()
    assert release is not None and (release.version, release.name) == ("0.2.0", payload.name)
    installed = []
    up.install(release.name, lambda path: installed.append(path.read_bytes()))
    assert installed == [payload.read_bytes()]
    assert _updater(tmp_path, root, current="0.2.0", state="other").latest() is None


def test_a_tampered_release_file_is_refused_and_never_installed(tmp_path, repo):
    root, _keys, payload = repo
    target = root / "targets" / payload.name
    data = bytearray(target.read_bytes())
    data[100] ^= 0x01  # one bit, same length
    target.write_bytes(bytes(data))
    installed = []
    with pytest.raises(UpdateError) as info:
        _updater(tmp_path, root).install(payload.name, installed.append)
    assert info.value.code == "tampered" and installed == []
    assert "ハッシュ" in info.value.message_ja


def test_a_modified_metadata_file_is_refused(tmp_path, repo):
    root, _keys, payload = repo
    targets = root / "metadata" / "targets.json"
    doc = json.loads(targets.read_text())
    doc["signed"]["targets"][payload.name]["hashes"]["sha256"] = hashlib.sha256(b"evil").hexdigest()
    targets.write_text(json.dumps(doc))
    with pytest.raises(UpdateError) as info:
        _updater(tmp_path, root).latest()
    assert info.value.code == "bad_signature"


def test_expired_metadata_is_refused(tmp_path, repo):
    root, keys, payload = repo
    release_repo.bump_timestamp(root, keys, expires_days=-1)  # properly signed, but past its expiry
    with pytest.raises(UpdateError) as info:
        _updater(tmp_path, root).latest()
    assert info.value.code == "expired"
    assert "有効期限" in info.value.message_ja and "expired" in info.value.message_en


def test_metadata_rolled_back_to_an_older_version_is_refused(tmp_path, repo):
    root, keys, payload = repo
    old_timestamp = (root / "metadata" / "timestamp.json").read_bytes()
    release_repo.bump_timestamp(root, keys)
    assert _updater(tmp_path, root).latest() is not None  # the terminal has now seen the newer one
    (root / "metadata" / "timestamp.json").write_bytes(old_timestamp)  # a mirror replays the old
    with pytest.raises(UpdateError) as info:
        _updater(tmp_path, root).latest()
    assert info.value.code == "rollback"


def test_an_older_signed_release_is_a_rollback(tmp_path, repo):
    root, _keys, payload = repo
    with pytest.raises(UpdateError) as info:
        _updater(tmp_path, root, current="0.3.0").download(payload.name)
    assert info.value.code == "rollback"


def test_the_installed_root_must_match_the_configuration_pin(tmp_path, repo):
    root, _keys, _payload = repo
    with pytest.raises(UpdateError) as info:
        _updater(tmp_path, root, root_sha256="0" * 64)
    assert info.value.code == "root_pin"


def test_a_root_from_another_repository_trusts_nothing_here(tmp_path, repo):
    root, _keys, _payload = repo
    other = tmp_path / "other"
    release_repo.init(other, tmp_path / "other-keys")
    shutil.copyfile(other / "metadata" / "1.root.json", tmp_path / "foreign-root.json")
    up = ClientUpdater(root.as_uri(), tmp_path / "s2", tmp_path / "foreign-root.json",
                       platform="linux-deb", current_version="0.1.0")
    with pytest.raises(UpdateError) as info:
        up.latest()
    assert info.value.code == "bad_signature"
