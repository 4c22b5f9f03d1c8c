"""Encrypted backups: AES-256-GCM in 1 MiB chunks, with a key derived by scrypt from the operator's
passphrase (the content of a key file, or typed at the terminal).

The file is `MAGIC`, a header (format version, scrypt parameters, salt, nonce prefix, chunk size,
a key check), then chunks of ciphertext and tag. Each chunk's nonce is the file's random prefix,
the chunk's number and a "last chunk" flag, and the header is each chunk's associated data (the
STREAM construction): a chunk altered, dropped, moved or cut off, or a header edited, fails its tag.
The key check (32 bytes of the scrypt output that are not the key) tells a wrong key from a
damaged file before any chunk is decrypted. Both directions hold one chunk in memory at a time.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import ServiceError

MAGIC = b"GIAMNGHEO-ENC\x00\x01\x00"  # 16 bytes: name, then format version 1
CHUNK = 1 << 20
_HEADER = struct.Struct(">BBBB16s7sI32s")  # log2 n, r, p, reserved, salt, nonce prefix, chunk, key check
SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P = 17, 8, 1  # 128 MiB and about half a second per derivation
TAG = 16
KEY_FILE_ENV = "GIAMNGHEO_BACKUP_KEY_FILE"
MIN_PASSPHRASE = 12


@dataclass(frozen=True)
class _Header:
    log_n: int
    r: int
    p: int
    salt: bytes
    prefix: bytes
    chunk: int
    check: bytes

    def pack(self) -> bytes:
        return MAGIC + _HEADER.pack(self.log_n, self.r, self.p, 0, self.salt, self.prefix, self.chunk, self.check)


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(len(MAGIC)) == MAGIC


def read_key_file(path: Path) -> bytes:
    """The passphrase in a key file: its bytes without the final newline (a random key works too)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ServiceError(
            f"Không đọc được tệp khoá {path}: {exc.strerror}", f"cannot read the key file {path}: {exc.strerror}"
        ) from None
    return check_passphrase(data.rstrip(b"\r\n"))


def check_passphrase(passphrase: bytes) -> bytes:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ServiceError(
            f"Khoá quá ngắn: cần ít nhất {MIN_PASSPHRASE} ký tự",
            f"the key is too short: at least {MIN_PASSPHRASE} characters",
        )
    return passphrase


def _derive(passphrase: bytes, salt: bytes, log_n: int, r: int, p: int) -> tuple[bytes, bytes]:
    if not (10 <= log_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16):  # a forged header must not ask for 1 TB
        raise _damaged()
    out = hashlib.scrypt(passphrase, salt=salt, n=1 << log_n, r=r, p=p, maxmem=(2 << log_n) * r * 128, dklen=64)
    return out[:32], out[32:]


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", counter) + (b"\x01" if last else b"\x00")


def _damaged() -> ServiceError:
    return ServiceError(
        "Bản sao lưu mã hoá bị hỏng hoặc đã bị sửa: không khôi phục",
        "the encrypted backup is damaged or has been altered: not restored",
    )


def wrong_key() -> ServiceError:
    return ServiceError(
        "Sai khoá: bản sao lưu này được mã hoá bằng khoá khác; cơ sở dữ liệu không bị thay đổi",
        "wrong key: this backup was encrypted with another key; the database was not changed",
    )


def _aesgcm(key: bytes):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


def encrypt_file(source: Path, target: BinaryIO, passphrase: bytes, *, chunk: int = CHUNK) -> None:
    """Write `source` encrypted to `target` (an open binary file), one chunk in memory at a time."""
    salt, prefix = os.urandom(16), os.urandom(7)
    key, check = _derive(passphrase, salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P)
    header = _Header(SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P, salt, prefix, chunk, check).pack()
    aead = _aesgcm(key)
    target.write(header)
    counter = 0
    with source.open("rb") as f:
        block = f.read(chunk)
        while True:
            following = f.read(chunk)
            last = not following
            target.write(aead.encrypt(_nonce(prefix, counter, last), block, header))
            if last:
                return
            block, counter = following, counter + 1
            if counter >= 1 << 32:
                raise ServiceError("Tệp quá lớn để mã hoá", "file too large to encrypt")


def _read_header(f: BinaryIO) -> tuple[_Header, bytes]:
    raw = f.read(len(MAGIC) + _HEADER.size)
    if len(raw) != len(MAGIC) + _HEADER.size or not raw.startswith(MAGIC):
        raise _damaged()
    log_n, r, p, _reserved, salt, prefix, chunk, check = _HEADER.unpack(raw[len(MAGIC) :])
    if not 1 <= chunk <= 1 << 26:
        raise _damaged()
    return _Header(log_n, r, p, salt, prefix, chunk, check), raw


def check_key(source: Path, passphrase: bytes) -> None:
    """Refuse a wrong key at once (before anything is decrypted or replaced)."""
    with source.open("rb") as f:
        header, _raw = _read_header(f)
    _key, check = _derive(passphrase, header.salt, header.log_n, header.r, header.p)
    if not hmac.compare_digest(check, header.check):
        raise wrong_key()


def decrypt_file(source: Path, target: BinaryIO, passphrase: bytes) -> None:
    """Write the plaintext of `source` to `target`; a wrong key, or any chunk altered, moved, dropped
    or cut off, raises before the caller uses `target` (which then holds a partial plaintext)."""
    from cryptography.exceptions import InvalidTag

    with source.open("rb") as f:
        header, raw = _read_header(f)
        key, check = _derive(passphrase, header.salt, header.log_n, header.r, header.p)
        if not hmac.compare_digest(check, header.check):
            raise wrong_key()
        aead = _aesgcm(key)
        counter = 0
        size = header.chunk + TAG
        block = f.read(size)
        while True:
            following = f.read(size)
            last = not following
            if len(block) < TAG or (not last and len(block) != size):
                raise _damaged()
            try:
                target.write(aead.decrypt(_nonce(header.prefix, counter, last), block, raw))
            except InvalidTag:
                raise _damaged() from None
            if last:
                return
            block, counter = following, counter + 1


__all__ = ["KEY_FILE_ENV", "check_key", "decrypt_file", "encrypt_file", "is_encrypted", "read_key_file"]
