"""The cache folder cannot be turned against its user: private, owned, and entries signed.

Cached reports are pickles, and unpickling runs code: anyone who can write into the cache folder
could run code as the next person who builds, and the cached pages of an internal report hold
the units' own text. So the folder is made private (0700) when statuskart creates it or owns
it, refused with a bokmål error when someone else owns it or others may write to it, and every
entry carries an HMAC made with a secret key that only the folder's owner can read: an entry
that was planted or changed is a miss, never loaded.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from statuskart.core import messages as msg
from statuskart.core.errors import ConfigError

KEY_FILE = "nøkkel"
MAGIC = b"statuskart-cache-1\n"
_MAC_BYTES = hashlib.sha256().digest_size


def secure_folder(folder: Path) -> bytes:
    """Make or check the cache folder and return its signing key (ConfigError if unsafe)."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except OSError as exc:
        reason = msg.os_reason(exc)
        raise ConfigError(msg.CACHE_UNUSABLE.format(folder=folder, reason=reason)) from None
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise ConfigError(msg.CACHE_NOT_PRIVATE.format(folder=folder))
    if hasattr(os, "geteuid"):  # POSIX: who owns it and who may write to it
        if info.st_uid != os.geteuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise ConfigError(msg.CACHE_NOT_PRIVATE.format(folder=folder))
        if info.st_mode & 0o077:
            folder.chmod(0o700)  # our own folder: the cached pages are nobody else's to read
    return _key(folder)


def _key(folder: Path) -> bytes:
    path = folder / KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
        path.unlink()  # a truncated key (a build killed as it wrote it): start again
        return _key(folder)
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key


def seal(key: bytes, payload: bytes) -> bytes:
    """The entry as stored: a header, the HMAC of the payload, the payload."""
    return MAGIC + hmac.digest(key, payload, "sha256") + payload


def unseal(key: bytes, stored: bytes) -> bytes | None:
    """The payload if the entry was sealed with ``key``, else None (planted, changed or old)."""
    if not stored.startswith(MAGIC):
        return None
    mac = stored[len(MAGIC) : len(MAGIC) + _MAC_BYTES]
    payload = stored[len(MAGIC) + _MAC_BYTES :]
    return payload if hmac.compare_digest(mac, hmac.digest(key, payload, "sha256")) else None
