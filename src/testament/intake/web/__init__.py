"""The intake's web layer: the Starlette app, its pages, the desk API and the security plumbing."""
