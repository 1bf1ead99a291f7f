"""Fuzzing the intake's HTTP surface: the desk API from its OpenAPI description (schemathesis),
and the submission endpoint with random multipart bodies (hypothesis). Nothing may crash (500),
and a refused body leaves nothing behind."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from testament.crypto.codenames import KdfParameters
from testament.intake.settings import IntakeSettings, new_pepper
from testament.intake.store import IntakeStore
from testament.intake.web.app import create_app
from testament.intake.web.desk_api import token_sha256
from tests.intake.conftest import new_source

SPEC = json.loads(files("testament.intake").joinpath("desk_api.openapi.json").read_text())
TOKEN = "fuzz-token-" + "x" * 32


def fuzz_app(tmp_path_factory):
    from pyrage import x25519

    folder = tmp_path_factory.mktemp("fuzz") / "intake"
    fast = KdfParameters(1, 8)  # insecure_fast_kdf: fuzzing derives many codenames
    settings_ = IntakeSettings(
        folder=folder,
        recipients=(str(x25519.Identity.generate().to_public()),),
        pepper=new_pepper(),
        desk_token_sha256=token_sha256(TOKEN),
        kdf_time_cost=fast.time_cost,
        kdf_memory_kib=fast.memory_kib,
        submissions_per_source_per_hour=10_000,
        logins_per_browser_per_minute=10_000,
    )
    IntakeStore(folder).initialise()
    return create_app(settings_), settings_


LABELS = [r.ok().label for r in schemathesis.openapi.from_dict(SPEC).get_all_operations()]


@pytest.fixture(scope="module")
def desk_schema(tmp_path_factory):
    app, _ = fuzz_app(tmp_path_factory)
    schema = schemathesis.openapi.from_dict(SPEC)
    schema.app = app
    return schema


@pytest.mark.parametrize("label", LABELS)
def test_desk_api_conforms_to_its_description_with_and_without_the_token(desk_schema, label):
    operation = desk_schema.find_operation_by_label(label)

    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case):
        for headers in ({"Authorization": f"Bearer {TOKEN}"}, {}):
            response = case.call(headers=headers)
            assert response.status_code < 500
            if not headers:
                assert response.status_code == 401
            else:
                case.validate_response(response)

    check()


@pytest.fixture(scope="module")
def source_client(tmp_path_factory):
    app, settings_ = fuzz_app(tmp_path_factory)
    with TestClient(app, base_url="http://intake.onion") as client:
        new_source(client)
        yield client, settings_


PART_NAMES = st.sampled_from(["message", "file", "sealed_file", "csrf_token", "x", ""])
BYTES = st.binary(max_size=300)


@st.composite
def multipart_bodies(draw):
    boundary = draw(st.sampled_from([b"b0undary", b"x", b"--", b'"quoted"', b"a b"]))
    pieces = []
    for _ in range(draw(st.integers(0, 6))):
        name = draw(PART_NAMES).encode()
        pieces.append(
            draw(
                st.sampled_from(
                    [
                        b"--"
                        + boundary
                        + b'\r\nContent-Disposition: form-data; name="'
                        + name
                        + b'"\r\n\r\n',
                        b"--" + boundary + b"\r\n",
                        b"\r\n",
                        b"--" + boundary + b"--\r\n",
                    ]
                )
            )
        )
        pieces.append(draw(BYTES))
    return boundary, b"".join(pieces)


@given(body=multipart_bodies(), declared=st.booleans())
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
def test_random_multipart_bodies_never_crash_and_never_leave_files(source_client, body, declared):
    client, settings_ = source_client
    boundary, content = body
    content_type = (
        "multipart/form-data; boundary=" + boundary.decode("latin-1")
        if declared
        else "multipart/form-data"
    )
    response = client.post(
        "/source/submit",
        content=content,
        headers={"content-type": content_type},
        follow_redirects=False,
    )
    assert response.status_code in (303, 400, 403, 413)
    assert list(settings_.incoming_folder.iterdir()) == []
    assert list(settings_.blob_folder.iterdir()) == []
