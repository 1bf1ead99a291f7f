"""The intake's settings: one frozen object, read from ``intake.toml`` in the instance folder.

``load_settings(folder)`` validates every value at start-up and raises ``SettingsError`` naming
the setting and what to set; ``docs/deployment.md`` documents each one (a test checks that).
Secrets (the pepper, the desk token's hash) never appear in ``repr``.
"""

from __future__ import annotations

import re
import secrets
import shlex
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from testament.core.errors import SettingsError
from testament.core.files import write_atomically
from testament.crypto.age import parse_recipients
from testament.crypto.codenames import MIN_PEPPER_BYTES, RECOMMENDED_KDF, KdfParameters
from testament.crypto.errors import RecipientError

SETTINGS_FILE = "intake.toml"
MIB = 1024**2
GIB = 1024**3


@dataclass(frozen=True)
class IntakeSettings:
    """Everything an intake instance is configured with. See docs/deployment.md for each field."""

    folder: Path
    recipients: tuple[str, ...]
    pepper: bytes = field(repr=False)
    desk_token_sha256: str = field(repr=False, default="")
    kdf_time_cost: int = RECOMMENDED_KDF.time_cost
    kdf_memory_kib: int = RECOMMENDED_KDF.memory_kib
    kdf_parallelism: int = RECOMMENDED_KDF.parallelism
    max_concurrent_kdf: int = 2
    max_body_bytes: int = 2 * GIB + MIB  # a 2 GiB file and the form around it
    max_parts: int = 64
    max_part_header_bytes: int = 8 * 1024
    max_request_header_bytes: int = 16 * 1024
    request_header_timeout_seconds: float = 30.0
    max_connections: int = 256
    upload_idle_timeout_seconds: float = 300.0
    upload_min_bytes_per_second: float = 2048.0
    upload_rate_grace_seconds: float = 60.0
    max_uploads_in_flight: int = 32
    max_uploads_per_source: int = 2
    retention_days: int = 7
    session_minutes: int = 20
    submissions_per_source_per_hour: int = 20
    logins_per_browser_per_minute: int = 10
    max_kdf_waiting: int = 32

    @property
    def kdf(self) -> KdfParameters:
        return KdfParameters(self.kdf_time_cost, self.kdf_memory_kib, self.kdf_parallelism)

    @property
    def database_path(self) -> Path:
        return self.folder / "intake.sqlite"

    @property
    def blob_folder(self) -> Path:
        return self.folder / "blobs"

    @property
    def incoming_folder(self) -> Path:
        return self.folder / "incoming"


#: The settings a person may write in ``intake.toml`` (everything but the folder itself).
SETTING_NAMES: tuple[str, ...] = tuple(f.name for f in fields(IntakeSettings) if f.name != "folder")
_INT_SETTINGS: tuple[str, ...] = tuple(f.name for f in fields(IntakeSettings) if f.type == "int")
_FLOAT_SETTINGS: tuple[str, ...] = tuple(
    f.name for f in fields(IntakeSettings) if f.type == "float"
)
#: Settings of earlier versions that are read and ignored, with why (an upgrade must not stop
#: an instance from starting; ``removed_settings`` lets the server say what to delete).
REMOVED_SETTINGS: dict[str, str] = {
    "submissions_per_minute": (
        "a global limit let anyone block every source's submissions; submissions are now "
        "limited per source and by max_uploads_in_flight"
    ),
    "logins_per_minute": (
        "a global limit let anyone lock every source out; log-ins are now limited per browser "
        "(logins_per_browser_per_minute) and by max_kdf_waiting"
    ),
}


def _fail(name: str, what: str, path: Path) -> SettingsError:
    return SettingsError(f"{path}: setting {name!r} {what}")


def _validated(values: dict[str, Any], path: Path) -> dict[str, Any]:
    values = {name: value for name, value in values.items() if name not in REMOVED_SETTINGS}
    unknown = sorted(set(values) - set(SETTING_NAMES))
    if unknown:
        raise _fail(unknown[0], f"is unknown; known settings: {', '.join(SETTING_NAMES)}", path)
    for required in ("recipients", "pepper"):
        if required not in values:
            raise _fail(
                required,
                "is missing: the instance is incomplete; move the folder aside and create a new "
                f"one with `testament intake init {shlex.quote(str(path.parent))} "
                "--recipient age1...`",
                path,
            )
    out: dict[str, Any] = {}
    recipients = values["recipients"]
    if not isinstance(recipients, list) or not all(isinstance(r, str) for r in recipients):
        raise _fail("recipients", 'must be a list of age recipients: ["age1..."]', path)
    try:
        parse_recipients(recipients)
    except RecipientError as error:
        raise _fail("recipients", f"is invalid: {error}", path) from None
    out["recipients"] = tuple(r.strip() for r in recipients)
    try:
        pepper = bytes.fromhex(values["pepper"])
    except (TypeError, ValueError):
        raise _fail("pepper", "must be hexadecimal (64 hex digits)", path) from None
    if len(pepper) < MIN_PEPPER_BYTES:
        raise _fail("pepper", f"must have at least {MIN_PEPPER_BYTES} bytes", path)
    out["pepper"] = pepper
    token = values.get("desk_token_sha256", "")
    if not isinstance(token, str) or (token and not re.fullmatch("[0-9a-f]{64}", token)):
        raise _fail(
            "desk_token_sha256",
            f"must be 64 hex digits: remove its line from {path}, then issue a new token with "
            f"`testament intake token {shlex.quote(str(path.parent))}`",
            path,
        )
    out["desk_token_sha256"] = token
    for name in _INT_SETTINGS:
        if name in values:
            value = values[name]
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise _fail(name, "must be a whole number of at least 1", path)
            out[name] = value
    for name in _FLOAT_SETTINGS:
        if name in values:
            value = values[name]
            if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
                raise _fail(name, "must be a positive number", path)
            out[name] = float(value)
    try:
        KdfParameters(
            out.get("kdf_time_cost", RECOMMENDED_KDF.time_cost),
            out.get("kdf_memory_kib", RECOMMENDED_KDF.memory_kib),
            out.get("kdf_parallelism", RECOMMENDED_KDF.parallelism),
        )
    except ValueError:
        raise _fail("kdf_memory_kib", "must be at least 8 KiB per lane", path) from None
    return out


def load_settings(folder: Path) -> IntakeSettings:
    """Read and validate ``folder/intake.toml``; SettingsError says what to set."""
    path = folder / SETTINGS_FILE
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(
            f"{path} does not exist: create the instance with "
            f"`testament intake init {shlex.quote(str(folder))} --recipient age1...` "
            "(age1...: a reviewer's recipient, as testament desk keygen printed it)"
        ) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SettingsError(f"{path}: cannot read the settings ({error})") from None
    return IntakeSettings(folder=folder, **_validated(values, path))


def removed_settings(folder: Path) -> list[str]:
    """What ``folder/intake.toml`` still sets that this version ignores, each with why."""
    try:
        values = tomllib.loads((folder / SETTINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []
    return [f"{name}: {REMOVED_SETTINGS[name]}" for name in values if name in REMOVED_SETTINGS]


def _toml_value(value: Any) -> str:
    if isinstance(value, bytes):
        return f'"{value.hex()}"'
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return repr(value)


def write_settings(settings: IntakeSettings) -> Path:
    """Write ``settings`` as ``intake.toml`` (mode 0600: the pepper is in it)."""
    lines = ["# testament intake settings; every setting is described in docs/deployment.md"]
    lines += [f"{name} = {_toml_value(getattr(settings, name))}" for name in SETTING_NAMES]
    path = settings.folder / SETTINGS_FILE
    write_atomically(path, "\n".join(lines) + "\n")  # mode 0600, as every file it writes
    return path


def new_pepper() -> bytes:
    """A fresh instance pepper (32 random bytes)."""
    return secrets.token_bytes(32)
