"""A reviewer's age identity, kept in a file encrypted with a passphrase.

The file is what ``age-keygen | age -p -a`` would make: the identity text (a comment with the
public key, then ``AGE-SECRET-KEY-1...``) encrypted with age's scrypt passphrase recipient and
ASCII-armored, so Debian's ``age -d`` opens it too. A seized laptop therefore yields no key
without the passphrase, and the scrypt work factor (chosen by rage to take about a second)
makes each passphrase guess expensive.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pyrage
from pyrage import passphrase as age_passphrase
from pyrage import x25519

from testament.core.files import write_atomically
from testament.desk.errors import IdentityError, WrongPassphraseError
from testament.desk.strength import MIN_GUESSES_LOG10, MIN_SECRET_CHARS, weakness

MIN_PASSPHRASE_CHARS = MIN_SECRET_CHARS
MIN_PASSPHRASE_GUESSES_LOG10 = MIN_GUESSES_LOG10
_SECRET_PREFIX = "AGE-SECRET-KEY-1"  # noqa: S105 - the marker of a key, not a key


def check_passphrase(passphrase: str) -> None:
    """Refuse a passphrase that would not resist guessing once the file is stolen: too short,
    or easy to guess by zxcvbn's estimate (common words, keyboard patterns, repeats, dates)."""
    problem = weakness(passphrase, "passphrase")
    if problem is not None:
        raise IdentityError(problem)


def create_identity(path: Path, passphrase: str) -> str:
    """Create a new identity at ``path`` (mode 0600, never overwriting); return its recipient."""
    check_passphrase(passphrase)
    if path.exists():  # checked early too: the scrypt work below takes seconds
        raise IdentityError(f"{path} already exists: choose another file name")
    identity = x25519.Identity.generate()
    recipient = str(identity.to_public())
    text = f"# testament reviewer identity\n# public key: {recipient}\n{identity}\n"
    ciphertext = age_passphrase.encrypt(text.encode("ascii"), passphrase, armored=True)
    try:
        # replace=False: an existing identity is never replaced (losing it loses every
        # submission); and a crash mid-write leaves no partial identity under the name.
        write_atomically(path, ciphertext, replace=False)
    except FileExistsError:
        raise IdentityError(f"{path} already exists: choose another file name") from None
    except OSError as error:
        raise IdentityError(f"cannot create {path}: {error.strerror}") from None
    return recipient


def load_identity(path: Path, passphrase: str) -> x25519.Identity:
    """Open the passphrase-protected identity at ``path``; IdentityError says what went wrong."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise IdentityError(
            f"{path} does not exist: create an identity with "
            f"`testament desk keygen {shlex.quote(str(path))}`"
        ) from None
    except OSError as error:
        raise IdentityError(f"cannot read {path}: {error.strerror}") from None
    if _SECRET_PREFIX.encode() in data:
        raise IdentityError(
            f"{path} holds an unprotected identity: protect it with a passphrase "
            f"(`age -p -a -o {path}.age {path}`, then delete {path} safely)"
        )
    try:
        text = bytes(age_passphrase.decrypt(data, passphrase)).decode("ascii")
    except pyrage.DecryptError:
        raise WrongPassphraseError(
            f"cannot open {path}: wrong passphrase, or not an identity made by "
            "`testament desk keygen`"
        ) from None
    except UnicodeDecodeError:
        raise IdentityError(f"{path} does not contain an age identity") from None
    lines = [line.strip() for line in text.splitlines()]
    secrets = [line for line in lines if line.startswith(_SECRET_PREFIX)]
    if len(secrets) != 1:
        raise IdentityError(f"{path} must contain exactly one age identity (AGE-SECRET-KEY-1...)")
    try:
        return x25519.Identity.from_str(secrets[0])
    except pyrage.IdentityError:
        raise IdentityError(f"{path} contains a damaged age identity") from None
