"""How the desk reaches the intake: directly, or through a SOCKS5 proxy such as Tor's.

An intake usually is a Tor onion service. Looking its ``.onion`` name up through the system's
resolver fails, and on the way tells the DNS servers, and anyone watching them, which intake
this machine talks to. So the desk refuses an onion address unless it goes through a proxy that
resolves names itself: ``--proxy socks5h://127.0.0.1:9050`` (the ``h``: the proxy resolves the
host name; plain ``socks5://`` resolves here and is refused for onions). Every request of the
client, downloads included, opens its connection through the proxy (``python-socks``), and
nothing on that path resolves the intake's name locally: urllib's proxy handler, which reads
``$http_proxy`` and may resolve names to decide on bypassing it, is left out.

The opener follows no redirects either: the desk API never redirects, and following one would
send the desk token to wherever a hostile intake points.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from python_socks import ProxyConnectionError, ProxyError, ProxyTimeoutError, ProxyType
from python_socks.sync import Proxy

from testament.desk.errors import IntakeConnectionError

TOR_PROXY = "socks5h://127.0.0.1:9050"
PROXY_ENV = "TESTAMENT_PROXY"
_SCHEMES = {"socks5h": True, "socks5": False}  # scheme -> the proxy resolves host names


class RouteError(OSError):
    """The proxy could not open a connection; urllib wraps it (``URLError.reason``)."""


@dataclass(frozen=True, slots=True)
class SocksProxy:
    """A SOCKS5 proxy; ``remote_dns``: it resolves host names (``socks5h``), not this machine."""

    host: str
    port: int
    remote_dns: bool
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    def __str__(self) -> str:  # never the credentials (Tor uses them to isolate circuits)
        scheme = "socks5h" if self.remote_dns else "socks5"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"

    def connect(self, host: str, port: int, timeout: float | None) -> socket.socket:
        """A socket connected to ``host``:``port`` through the proxy."""
        proxy = Proxy(
            ProxyType.SOCKS5,
            self.host,
            self.port,
            self.username,
            self.password,
            rdns=self.remote_dns,
        )
        try:
            return proxy.connect(dest_host=host, dest_port=port, timeout=timeout)
        except ProxyConnectionError as error:
            raise RouteError(
                f"the proxy {self} does not answer ({error.strerror or error}): is Tor running? "
                "Its SOCKS port is 9050 (9150 for Tor Browser)"
            ) from None
        except ProxyTimeoutError:
            raise RouteError(
                f"the proxy {self} opened no connection to {host} within {timeout} seconds"
            ) from None
        except ProxyError as error:
            raise RouteError(f"the proxy {self} could not reach {host}:{port}: {error}") from None


def parse_proxy(url: str) -> SocksProxy:
    """The proxy at ``url`` (``socks5h://HOST:PORT``, optionally with ``user:password@``)."""
    parsed = urllib.parse.urlsplit(url)
    shown = f"{parsed.scheme}://{parsed.hostname or ''}" + (
        f":{parsed.port}" if _has_port(parsed) else ""
    )
    if parsed.scheme not in _SCHEMES or not parsed.hostname or not _has_port(parsed):
        raise IntakeConnectionError(
            f"--proxy must be a SOCKS5 address with a port, like {TOR_PROXY} (Tor), not {shown!r}"
        )
    return SocksProxy(
        parsed.hostname,
        int(parsed.port or 0),
        _SCHEMES[parsed.scheme],
        urllib.parse.unquote(parsed.username) if parsed.username else None,
        urllib.parse.unquote(parsed.password) if parsed.password else None,
    )


def _has_port(parsed: urllib.parse.SplitResult) -> bool:
    try:
        return parsed.port is not None
    except ValueError:
        return False


def is_onion(host: str) -> bool:
    """Whether ``host`` names a Tor onion service."""
    return host.lower().rstrip(".").endswith(".onion")


def choose_route(base_url: str, proxy_url: str | None) -> SocksProxy | None:
    """The proxy to reach ``base_url`` through, after refusing a route that would leak it."""
    host = urllib.parse.urlsplit(base_url).hostname or ""
    proxy = parse_proxy(proxy_url) if proxy_url else None
    if is_onion(host) and proxy is None:
        raise IntakeConnectionError(
            f"{base_url} is an onion address: the desk reaches it only through Tor, which must "
            "also look the name up (the system's resolver would tell the network which intake "
            f"you use). Start Tor and pass --proxy {TOR_PROXY} (or set ${PROXY_ENV})"
        )
    if is_onion(host) and proxy is not None and not proxy.remote_dns:
        raise IntakeConnectionError(
            f"--proxy {proxy} would look {host} up on this machine (socks5:// resolves names "
            f"locally, leaking the onion name to the DNS resolver): use socks5h://, like "
            f"{TOR_PROXY}"
        )
    return proxy


def _timeout(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None  # else: the "no value" mark


class _SocksHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, *, proxy: SocksProxy, **options: Any) -> None:
        super().__init__(host, **options)
        self._proxy = proxy

    def connect(self) -> None:
        self.sock = self._proxy.connect(self.host, self.port, _timeout(self.timeout))


class _SocksHTTPSConnection(http.client.HTTPSConnection):
    def __init__(
        self, host: str, *, proxy: SocksProxy, tls: ssl.SSLContext, **options: Any
    ) -> None:
        super().__init__(host, context=tls, **options)
        self._proxy = proxy
        self._tls = tls

    def connect(self) -> None:
        sock = self._proxy.connect(self.host, self.port, _timeout(self.timeout))
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


class _SocksHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, proxy: SocksProxy) -> None:
        super().__init__()
        self._proxy = proxy

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(partial(_SocksHTTPConnection, proxy=self._proxy), req)


class _SocksHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, proxy: SocksProxy) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(context=self._tls)
        self._proxy = proxy

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(partial(_SocksHTTPSConnection, proxy=self._proxy, tls=self._tls), req)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: Any, **_options: Any) -> None:
        return None  # urllib then raises HTTPError with the 3xx status


def build_opener(proxy: SocksProxy | None) -> urllib.request.OpenerDirector:
    """An opener for the desk's requests: through ``proxy`` when given, never redirected."""
    if proxy is None:
        return urllib.request.build_opener(_NoRedirects())
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}),
        _SocksHTTPHandler(proxy),
        _SocksHTTPSHandler(proxy),
        _NoRedirects(),
    )
