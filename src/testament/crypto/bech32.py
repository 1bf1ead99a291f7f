"""Bech32 (BIP-173) encoding, as age uses it for ``AGE-SECRET-KEY-1...`` and ``age1...`` strings.

An encoding, not a cryptographic primitive: it turns the 32-byte seed a codename derives into the
text form pyrage accepts. age does not apply BIP-173's 90-character limit, and neither do we.
"""

from __future__ import annotations

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


class Bech32Error(ValueError):
    """Text that is not valid bech32."""


def _polymod(values: list[int]) -> int:
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i, generator in enumerate(_GENERATOR):
            if (top >> i) & 1:
                checksum ^= generator
    return checksum


def _expand_hrp(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _regroup(data: bytes | list[int], from_bits: int, to_bits: int, *, pad: bool) -> list[int]:
    accumulator = bits = 0
    out: list[int] = []
    mask = (1 << to_bits) - 1
    for value in data:
        accumulator = (accumulator << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((accumulator >> bits) & mask)
    if pad and bits:
        out.append((accumulator << (to_bits - bits)) & mask)
    elif not pad and (bits >= from_bits or (accumulator << (to_bits - bits)) & mask):
        raise Bech32Error("non-zero padding")
    return out


def encode(hrp: str, data: bytes) -> str:
    """Encode ``data`` under the human-readable part ``hrp`` (lowercase result)."""
    hrp = hrp.lower()
    words = _regroup(data, 8, 5, pad=True)
    polymod = _polymod([*_expand_hrp(hrp), *words, 0, 0, 0, 0, 0, 0]) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(CHARSET[w] for w in words + checksum)


def decode(text: str) -> tuple[str, bytes]:
    """Split bech32 ``text`` into its human-readable part and data; raise on a bad checksum."""
    if text.lower() != text and text.upper() != text:
        raise Bech32Error("mixed case")
    text = text.lower()
    hrp, separator, rest = text.rpartition("1")
    if not separator or not hrp or len(rest) < 6 or any(c not in CHARSET for c in rest):
        raise Bech32Error("not bech32")
    words = [CHARSET.index(c) for c in rest]
    if _polymod([*_expand_hrp(hrp), *words]) != 1:
        raise Bech32Error("bad checksum")
    return hrp, bytes(_regroup(words[:-6], 5, 8, pad=False))
