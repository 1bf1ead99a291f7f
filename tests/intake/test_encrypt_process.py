"""The encryption helper process: plaintext in through a shared-memory ring, standard age out."""

from __future__ import annotations

import io
import os
import random

import pytest
from pyrage import x25519

from testament.crypto.age import decrypt_stream
from testament.crypto.encrypt_process import HELPER_AVAILABLE, EncryptingProcess
from testament.crypto.errors import CryptoError, DecryptionError

pytestmark = pytest.mark.skipif(not HELPER_AVAILABLE, reason="the helper needs memfd_create")

RING = 64 * 1024  # small, so that the tests wrap around it many times


def decrypt(path, identity) -> bytes:
    plaintext = io.BytesIO()
    with path.open("rb") as sealed:
        decrypt_stream(sealed, plaintext, [identity])
    return plaintext.getvalue()


def encrypt_pieces(path, identity, pieces, *, ring_bytes=RING) -> None:
    with (
        path.open("wb") as ciphertext,
        EncryptingProcess(ciphertext, [str(identity.to_public())], ring_bytes=ring_bytes) as helper,
    ):
        for piece in pieces:
            helper.write(piece)


def test_pieces_of_every_size_come_out_as_one_standard_age_file(tmp_path):
    identity = x25519.Identity.generate()
    rng = random.Random(7)
    sizes = [1, 0, 17, RING // 4 - 1, RING // 4 + 1, RING - 1, RING, RING + 1, 3 * RING + 5]
    sizes += [rng.randrange(1, 2 * RING) for _ in range(40)]
    pieces = [rng.randbytes(size) for size in sizes]
    encrypt_pieces(tmp_path / "out.age", identity, [memoryview(p) for p in pieces])
    assert decrypt(tmp_path / "out.age", identity) == b"".join(pieces)


def test_many_tiny_pieces_neither_deadlock_nor_lose_bytes(tmp_path):
    identity = x25519.Identity.generate()
    pieces = [bytes([i % 251]) for i in range(20_000)]
    encrypt_pieces(tmp_path / "out.age", identity, pieces, ring_bytes=4096)
    assert decrypt(tmp_path / "out.age", identity) == b"".join(pieces)


def test_an_empty_input_is_an_age_file_of_nothing(tmp_path):
    identity = x25519.Identity.generate()
    encrypt_pieces(tmp_path / "out.age", identity, [])
    assert decrypt(tmp_path / "out.age", identity) == b""


def test_a_helper_that_dies_makes_writing_fail_instead_of_hanging(tmp_path):
    identity = x25519.Identity.generate()
    with (tmp_path / "out.age").open("wb") as ciphertext:
        helper = EncryptingProcess(ciphertext, [str(identity.to_public())], ring_bytes=RING)
        helper._child.kill()
        with pytest.raises(CryptoError, match="stopped"):
            helper.write(b"z" * 4 * RING)  # more than the ring holds: the writer must notice
        helper.abort()


def test_input_cut_off_without_its_end_leaves_no_decryptable_file(tmp_path):
    """What a killed server leaves: the helper fails and never finishes the age file."""
    identity = x25519.Identity.generate()
    with (tmp_path / "out.age").open("wb") as ciphertext:
        helper = EncryptingProcess(ciphertext, [str(identity.to_public())], ring_bytes=RING)
        helper.write(os.urandom(3 * RING))
        helper._announcements.close()  # the server's end of the pipe goes away mid-upload
        assert helper._child.wait(timeout=30) != 0
        helper.abort()
    with pytest.raises(DecryptionError):
        decrypt(tmp_path / "out.age", identity)


def test_the_helper_refuses_to_start_without_recipients(tmp_path):
    with (tmp_path / "out.age").open("wb") as ciphertext:
        helper = EncryptingProcess(ciphertext, [], ring_bytes=RING)
        helper.write(b"plaintext")
        with pytest.raises(CryptoError):
            helper.finish()
