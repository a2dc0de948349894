"""The municipality-signed terminal configuration (#9): what the client accepts and refuses."""

import base64
import datetime as dt
import hashlib
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.provisioning import ConfigError, load_config, make_config, sign_config, write_config
from tools.provision import main as provision

UTC = dt.timezone.utc


@pytest.fixture()
def municipality(tmp_path):
    key = Ed25519PrivateKey.generate()
    pub = tmp_path / "municipality.pub"
    pub.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo))
    return key, pub


def _config(tmp_path, key, **overrides):
    fields = dict(municipality="例市", central_url="https://central.example:8443", device_id="T-0001",
                  device_kind="counter", device_key_path="/etc/madoguchi/device.pem")
    fields.update(overrides)
    path = tmp_path / "terminal.json"
    write_config(path, sign_config(make_config(**fields), key))
    return path


def _refusal(path, pub, **kw) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_config(path, pub, **kw)
    return info.value


def test_a_signed_configuration_is_accepted(tmp_path, municipality):
    key, pub = municipality
    cfg = load_config(_config(tmp_path, key), pub)
    assert (cfg.central_url, cfg.device_id, cfg.device_kind) == ("https://central.example:8443", "T-0001", "counter")
    assert cfg.municipality == "例市"
    assert str(cfg.device_key_path) == "/etc/madoguchi/device.pem"


def test_missing_configuration_is_refused_in_both_languages(tmp_path, municipality):
    err = _refusal(tmp_path / "nope.json", municipality[1])
    assert err.code == "missing"
    assert "端末設定ファイル" in err.message_ja and "署名済み" in err.message_ja
    assert "production mode needs a signed one" in err.message_en


def test_unsigned_configuration_is_refused(tmp_path, municipality):
    key, pub = municipality
    path = _config(tmp_path, key)
    envelope = json.loads(path.read_text())
    envelope["signatures"] = []
    path.write_text(json.dumps(envelope))
    assert _refusal(path, pub).code == "unsigned"


@pytest.mark.parametrize("field,value", [("central_url", "https://evil.example"), ("device_kind", "loan"),
                                         ("device_id", "T-0002")])
def test_a_modified_configuration_is_refused(tmp_path, municipality, field, value):
    key, pub = municipality
    path = _config(tmp_path, key)
    envelope = json.loads(path.read_text())
    envelope["signed"][field] = value
    path.write_text(json.dumps(envelope, ensure_ascii=False))
    err = _refusal(path, pub)
    assert err.code == "bad_signature"
    assert "署名が一致しません" in err.message_ja and "changed after signing" in err.message_en


def test_a_one_byte_change_anywhere_in_the_signature_is_refused(tmp_path, municipality):
    key, pub = municipality
    path = _config(tmp_path, key)
    envelope = json.loads(path.read_text())
    sig = bytearray(base64.b64decode(envelope["signatures"][0]["sig"]))
    sig[0] ^= 1
    envelope["signatures"][0]["sig"] = base64.b64encode(bytes(sig)).decode()
    path.write_text(json.dumps(envelope, ensure_ascii=False))
    assert _refusal(path, pub).code == "bad_signature"


def test_another_key_is_not_the_municipality(tmp_path, municipality):
    _, pub = municipality
    path = _config(tmp_path, Ed25519PrivateKey.generate())
    assert _refusal(path, pub).code == "unknown_signer"


def test_expired_configuration_is_refused(tmp_path, municipality):
    key, pub = municipality
    path = _config(tmp_path, key, not_after=dt.datetime(2030, 1, 1, tzinfo=UTC))
    assert load_config(path, pub, now=dt.datetime(2029, 12, 31, tzinfo=UTC)).not_after == "2030-01-01T00:00:00Z"
    assert _refusal(path, pub, now=dt.datetime(2030, 1, 2, tzinfo=UTC)).code == "expired"


def test_garbage_and_a_missing_trust_key_are_refused(tmp_path, municipality):
    key, pub = municipality
    path = tmp_path / "terminal.json"
    path.write_bytes(b"\xff\xfe not json")
    assert _refusal(path, pub).code == "malformed"
    assert _refusal(_config(tmp_path, key), tmp_path / "absent.pub").code == "trust_key_missing"


def test_pinned_file_must_match(tmp_path, municipality):
    key, pub = municipality
    keys = tmp_path / "card-keys.json"
    keys.write_text('{"aki": "pem"}')
    path = _config(tmp_path, key, pins={"card_issuer_keys_sha256": hashlib.sha256(keys.read_bytes()).hexdigest()})
    cfg = load_config(path, pub)
    cfg.check_pinned_file("card_issuer_keys_sha256", keys)
    keys.write_text('{"aki": "other"}')
    with pytest.raises(ConfigError) as info:
        cfg.check_pinned_file("card_issuer_keys_sha256", keys)
    assert info.value.code == "pin_mismatch"


def test_the_it_cli_round_trip(tmp_path, capsys):
    mkey, mpub = tmp_path / "m.key", tmp_path / "m.pub"
    assert provision(["municipality-key", "--key", str(mkey), "--pub", str(mpub)]) == 0
    assert mkey.stat().st_mode & 0o077 == 0  # private key readable by its owner only
    dkey, dpub = tmp_path / "dev" / "device.pem", tmp_path / "T-0009.pub"
    assert provision(["device-key", "--device-id", "T-0009", "--key", str(dkey), "--pub", str(dpub)]) == 0
    assert b"PRIVATE" not in dpub.read_bytes()
    out = tmp_path / "terminal.json"
    assert provision(["sign-config", "--key", str(mkey), "--out", str(out), "--municipality", "例市",
                      "--central-url", "https://c.example", "--device-id", "T-0009", "--kind", "loan",
                      "--device-key-path", str(dkey), "--valid-days", "30",
                      "--pin", f"card_issuer_keys_sha256={dpub}"]) == 0
    assert provision(["verify-config", str(out), "--trust-key", str(mpub)]) == 0
    assert "OK: T-0009 (loan)" in capsys.readouterr().out
    out.write_text(out.read_text().replace("https://c.example", "https://d.example"))
    assert provision(["verify-config", str(out), "--trust-key", str(mpub)]) == 1
    assert "REFUSED (bad_signature)" in capsys.readouterr().err
