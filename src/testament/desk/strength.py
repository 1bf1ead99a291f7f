"""How hard a secret a person chose is to guess: one judge for identity passphrases and desk
passwords (zxcvbn's estimate of an attacker's guesses, not length alone)."""

from __future__ import annotations

from collections.abc import Sequence

MIN_SECRET_CHARS = 10
# zxcvbn's estimate of the guesses an attacker needs, as a power of ten. Length alone let
# "password12" or "aaaaaaaaaaaa" through; 10^12 guesses at about a second of scrypt or argon2id
# each are out of reach of anyone who steals the file or the database, even with many machines.
MIN_GUESSES_LOG10 = 12.0


def weakness(secret: str, noun: str, *, personal: Sequence[str] = ()) -> str | None:
    """Why ``secret`` (a passphrase, a password: ``noun``) would not resist guessing once its
    hash is stolen, or None when it would. ``personal`` are words an attacker knows (the user's
    name), which zxcvbn counts as easy."""
    from zxcvbn import zxcvbn

    if len(secret) < MIN_SECRET_CHARS:
        return (
            f"the {noun} must have at least {MIN_SECRET_CHARS} characters "
            "(several unrelated words are easiest to remember)"
        )
    # its cost grows with length; 200 characters suffice
    estimate = zxcvbn(secret[:200], user_inputs=list(personal))
    if float(estimate["guesses_log10"]) >= MIN_GUESSES_LOG10:
        return None
    feedback = estimate.get("feedback", {})
    hints = [feedback.get("warning") or "", *feedback.get("suggestions", [])]
    detail = " ".join(hint for hint in hints if hint)
    return (
        f"the {noun} is too easy to guess (about 10^"
        f"{float(estimate['guesses_log10']):.0f} guesses; at least 10^"
        f"{MIN_GUESSES_LOG10:.0f} are needed). Use four or more unrelated words"
        + (f". {detail}" if detail else "")
    )
