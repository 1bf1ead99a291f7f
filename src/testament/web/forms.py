"""Small urlencoded forms (log-in, buttons, a reason), read in memory with a cap.

Never ``request.form()`` for these: it would spool large bodies to temporary files, and a form
this small has no reason to be large.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.exceptions import HTTPException
from starlette.requests import Request


async def read_small_form(request: Request, limit: int, max_fields: int = 10) -> dict[str, str]:
    """The fields of an urlencoded form of at most ``limit`` bytes (first value of each);
    413 beyond the limit, 400 for a body that is not UTF-8 urlencoded text."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(413)
    try:
        parsed = parse_qs(body.decode("utf-8"), max_num_fields=max_fields, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        raise HTTPException(400) from None
    return {name: values[0] for name, values in parsed.items()}
