"""The encrypted backup format on its own: a round trip, and every kind of tampering refused."""

from __future__ import annotations

import io
import os

import pytest

from giamngheo.core import backup_crypto as bc
from giamngheo.core.errors import ServiceError

KEY = b"correct horse battery staple"


def _encrypted(tmp_path, data: bytes, chunk: int = 1000) -> bytes:
    plain = tmp_path / "plain"
    plain.write_bytes(data)
    out = io.BytesIO()
    bc.encrypt_file(plain, out, KEY, chunk=chunk)
    return out.getvalue()


def _decrypt(tmp_path, blob: bytes, key: bytes = KEY) -> bytes:
    path = tmp_path / "enc"
    path.write_bytes(blob)
    out = io.BytesIO()
    bc.decrypt_file(path, out, key)
    return out.getvalue()


@pytest.mark.parametrize("size", [0, 1, 999, 1000, 1001, 5000])
def test_round_trip_at_chunk_edges(tmp_path, size):
    data = os.urandom(size)
    blob = _encrypted(tmp_path, data)
    assert blob.startswith(bc.MAGIC)
    if size >= 32:  # a shorter plaintext may turn up in random bytes by chance
        assert data[:32] not in blob
    assert _decrypt(tmp_path, blob) == data


def test_a_wrong_key_is_named_as_such(tmp_path):
    blob = _encrypted(tmp_path, b"x" * 3000)
    with pytest.raises(ServiceError) as caught:
        _decrypt(tmp_path, blob, b"another passphrase!")
    assert "wrong key" in caught.value.message_en and "Sai khoá" in caught.value.message_vi


def _refused_as_damaged(tmp_path, blob: bytes) -> None:
    with pytest.raises(ServiceError) as caught:
        _decrypt(tmp_path, blob)
    assert "altered" in caught.value.message_en, caught.value.message_en


def test_tampering_of_any_kind_is_refused(tmp_path):
    blob = _encrypted(tmp_path, os.urandom(3500))  # 4 chunks of 1016 bytes after the header
    head = len(bc.MAGIC) + bc._HEADER.size
    size = 1000 + bc.TAG
    chunks = [blob[head + i * size : head + (i + 1) * size] for i in range(4)]
    flipped = bytearray(blob)
    flipped[head + 1500] ^= 1
    _refused_as_damaged(tmp_path, bytes(flipped))  # one bit in the second chunk
    _refused_as_damaged(tmp_path, blob[: head + 2 * size])  # cut off at a chunk boundary
    _refused_as_damaged(tmp_path, blob[:-1])  # cut off inside the last chunk
    _refused_as_damaged(tmp_path, blob[:head] + chunks[1] + chunks[0] + chunks[2] + chunks[3])  # moved
    _refused_as_damaged(tmp_path, blob[:head] + chunks[0] + chunks[2] + chunks[3])  # one dropped
    _refused_as_damaged(tmp_path, blob + chunks[3])  # one repeated at the end
    header = bytearray(blob)
    header[len(bc.MAGIC) + 30] ^= 1  # the nonce prefix: every chunk's nonce and associated data change
    _refused_as_damaged(tmp_path, bytes(header))
    _refused_as_damaged(tmp_path, blob[: head - 3])  # not even a whole header


def test_key_files_and_short_keys(tmp_path):
    (tmp_path / "k").write_bytes(KEY + b"\n")
    assert bc.read_key_file(tmp_path / "k") == KEY
    (tmp_path / "short").write_text("abc\n")
    with pytest.raises(ServiceError, match="too short"):
        bc.read_key_file(tmp_path / "short")
    with pytest.raises(ServiceError, match="cannot read the key file"):
        bc.read_key_file(tmp_path / "missing")
