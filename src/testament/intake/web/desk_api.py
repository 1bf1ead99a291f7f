"""The desk's HTTP API on the intake (``/desk/v1``): list, fetch, acknowledge, reply.

Every call needs ``Authorization: Bearer <token>``. The intake stores only the token's SHA-256
(the token is 256 random bits, so a fast hash is enough) and compares in constant time. Issuing a
new token (``testament intake token``) replaces the old one, which stops working at the next start.
"""

from __future__ import annotations

import hashlib
import hmac
import os

import anyio.to_thread
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from testament.crypto.age_header import MIN_PAYLOAD_BYTES, AgeHeaderError, header_length
from testament.intake.errors import LimitExceededError, SubmissionRejectedError
from testament.intake.logs import get_logger
from testament.intake.web.runtime import IntakeRuntime

MAX_REPLY_BYTES = 16 * 1024 * 1024
log = get_logger()


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def authorised(request: Request) -> IntakeRuntime:
    """The runtime, if the request carries the desk token; otherwise HTTP 401."""
    runtime: IntakeRuntime = request.app.state.runtime
    expected = runtime.settings.desk_token_sha256
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    presented = token_sha256(token.strip()) if scheme.lower() == "bearer" else ""
    # compare_digest on equal-length hex strings: no timing difference on where they differ.
    if not expected or not hmac.compare_digest(presented.ljust(64), expected):
        log.info("desk token rejected")
        raise HTTPException(401)
    return runtime


async def list_submissions(request: Request) -> Response:
    runtime = authorised(request)
    await anyio.to_thread.run_sync(
        runtime.store.purge_acknowledged, runtime.settings.retention_days
    )
    pending = await anyio.to_thread.run_sync(runtime.store.pending_submissions)
    return JSONResponse(
        {
            "submissions": [
                {
                    "id": s.id,
                    "source": s.source,
                    "source_recipient": s.source_recipient,
                    "received": s.received,
                    "items": [{"id": i.id, "kind": i.kind, "size": i.size} for i in s.items],
                }
                for s in pending
            ]
        }
    )


async def get_item(request: Request) -> Response:
    runtime = authorised(request)
    path = await anyio.to_thread.run_sync(runtime.store.item_path, request.path_params["item_id"])
    return FileResponse(path, media_type="application/octet-stream")


async def acknowledge(request: Request) -> Response:
    runtime = authorised(request)
    await anyio.to_thread.run_sync(runtime.store.acknowledge, request.path_params["submission_id"])
    log.info("submission acknowledged")
    return Response(status_code=204)


def _reply_header(head: bytes) -> int | None:
    try:
        return header_length(head)
    except AgeHeaderError:
        raise SubmissionRejectedError("a reply must be a binary age file") from None


async def add_reply(request: Request) -> Response:
    """Store a reply: an age file (binary) the desk encrypted to the source's recipient."""
    runtime = authorised(request)
    source = request.path_params["source"]
    if not await anyio.to_thread.run_sync(runtime.store.source_exists, source):
        raise HTTPException(404)
    path = runtime.store.new_incoming_path()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    size, head, header = 0, b"", None
    try:
        with open(descriptor, "wb") as ciphertext:  # noqa: PTH123 - a descriptor made 0600 above
            async for chunk in request.stream():
                size += len(chunk)
                if size > MAX_REPLY_BYTES:
                    raise LimitExceededError("reply too large")
                if header is None:
                    head += chunk
                    header = _reply_header(head)
                ciphertext.write(chunk)
        if header is None or size - header < MIN_PAYLOAD_BYTES:
            raise SubmissionRejectedError("a reply must be a whole binary age file")
        reply = await anyio.to_thread.run_sync(runtime.store.add_reply, source, path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    log.info("reply stored")
    return JSONResponse({"id": reply}, status_code=201)
