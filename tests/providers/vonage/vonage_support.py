"""Keys and JWTs for the Vonage tests: the application id, a keypair the simulator
verifies with, a wrong one, and JWTs minted as Vonage's JWT library mints them (PyJWT,
independent of the client). Shared by `harness.py` and the Vonage test modules (one
module, so one keypair per session)."""

from __future__ import annotations

import time
import uuid
from functools import cache
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

APPLICATION_ID = "0d5c7a3e-9b41-4f8e-a2d6-1c3b5e7f9a20"


@cache
def keypair(name: str) -> tuple[str, str]:
    """(private PEM, public PEM) of a test keypair, one per `name` for the session."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


PRIVATE_KEY, PUBLIC_KEY = keypair("right")
WRONG_KEY, _ = keypair("wrong")


def mint(private_key: str, now: float, *, application_id: str = APPLICATION_ID,
         lifetime: int = 900, **extra: Any) -> str:
    """An application JWT as Vonage's JWT library builds one, issued at `now` (POSIX s)."""
    claims = {"application_id": application_id, "iat": int(now), "exp": int(now) + lifetime,
              "jti": str(uuid.uuid4()), **extra}
    return jwt.encode(claims, private_key, algorithm="RS256", headers={"typ": "JWT"})


def auth(server: Any, secrets: dict[str, str] | None) -> dict[str, str]:
    """`Authorization: Bearer <JWT>` signed with `secrets["private_key"]`, issued at the
    simulator's "now"; no header for None."""
    if not secrets:
        return {}
    now = server.sim.clock.now().timestamp() if server is not None else time.time()
    return {"Authorization": f"Bearer {mint(secrets['private_key'], now)}"}
