"""The application keypair a Vonage simulator verifies JWTs with.

Given a public key (`--public-key PEM_FILE`), the simulator uses it. Without one it uses
a keypair generated once per process (2048-bit RSA, as Vonage's dashboard generates
them): the demo account and `meettui simulate vonage` both get it, and the latter
writes its private key to a file readable by its owner only, so a client can be
configured with it. Nothing here is secret beyond this process: it is a test key.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from pathlib import Path
from typing import NamedTuple


class KeyPair(NamedTuple):
    """PEM texts: `private` PKCS#8, `public` SubjectPublicKeyInfo."""

    private: str
    public: str


@functools.cache
def generated() -> KeyPair:
    """This process's generated keypair (made on first use, ~0.1 s)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo,
    ).decode()
    return KeyPair(private, public)


def write_private_key(pem: str) -> Path:
    """`pem` in a new file `private.key` in a new temporary directory, mode 0600."""
    folder = Path(tempfile.mkdtemp(prefix="meettui-vonage-"))
    path = folder / "private.key"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(pem)
    return path


def remove_private_key(path: Path) -> None:
    """Delete a key `write_private_key` wrote, and its folder once empty; one already
    gone is no error."""
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # not empty: someone put a file there; keep it
        path.parent.rmdir()


def load_public_key(path: str) -> str:
    """The PEM text of the public key file `path`. Raises ValueError saying what is wrong
    (the CLI reports it as a usage error)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    try:
        text = Path(path).expanduser().read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"cannot read the public key {path}: {exc.strerror or exc}") from None
    try:
        key = serialization.load_pem_public_key(text.encode())
    except ValueError:
        raise ValueError(f"{path} is not a PEM public key") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError(f"{path} is not an RSA public key (RS256 needs one)")
    return text
