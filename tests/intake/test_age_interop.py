"""Debian's ``age`` decrypts what the intake encrypted while streaming: it is standard age."""

from __future__ import annotations

import io
import shutil
import subprocess

from testament.crypto.items import read_item
from tests.conftest import require_component
from tests.intake.conftest import desk, new_source, submit


def test_age_decrypts_a_streamed_upload(client, instance, tmp_path):
    require_component(shutil.which("age") is not None, "Debian's age")
    body = bytes(range(256)) * 8192  # 2 MiB: several age STREAM chunks of 64 KiB
    new_source(client)
    submit(client, files=[("data.bin", body, "application/octet-stream")])
    listing = client.get("/desk/v1/submissions", headers=desk(client, instance)).json()
    item = listing["submissions"][0]["items"][0]
    sealed = client.get(f"/desk/v1/items/{item['id']}", headers=desk(client, instance)).content
    (tmp_path / "reviewer.key").write_text(str(instance.reviewer) + "\n")
    (tmp_path / "item.age").write_bytes(sealed)
    plaintext = subprocess.run(
        ["age", "--decrypt", "-i", tmp_path / "reviewer.key", tmp_path / "item.age"],
        capture_output=True,
        check=True,
    ).stdout
    header, stream = read_item(io.BytesIO(plaintext))
    assert (header.kind, header.filename) == ("file", "data.bin")
    assert stream.read() == body
