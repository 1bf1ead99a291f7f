"""Web plumbing shared by the two apps (the public intake and the reviewers' desk).

Only what must behave the same in both lives here: the security headers every response carries,
the signed double-submit CSRF token of forms without a session, cookie reading and writing, the
choice of page language, and uvicorn's guarded protocol with its listening socket. It imports the
web stack and ``testament.core`` only, never ``intake`` or ``desk``, so that the two apps stay
separate processes that share code, not state.
"""
