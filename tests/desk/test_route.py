"""The desk reaches an onion intake only through Tor, and never looks the onion name up itself.

Looking a ``.onion`` name up through the system's resolver tells the network which intake the
desk uses. These tests stand a SOCKS5 server in for Tor (``tests/desk/socks.py``), relaying to a
live intake on loopback, and make the resolver fail loudly for onion names: the desk must send
the name to the proxy (``socks5h``), and must refuse an onion address without such a proxy.
"""

from __future__ import annotations

import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from testament.desk.client import IntakeClient
from testament.desk.errors import IntakeConnectionError
from tests.desk.live import SourceBrowser, free_port
from tests.desk.socks import DOMAIN_NAME, HOST_UNREACHABLE, socks5_server
from tests.support.cli import run_cli

ONION = "desktestintake" + "a" * 42 + ".onion"  # the shape of a v3 onion name: 56 characters
ONION_URL = f"http://{ONION}"


@pytest.fixture
def resolver_calls(monkeypatch) -> list[str]:
    """Every name the system resolver is asked for; asking it for an onion name fails."""
    calls: list[str] = []
    real_getaddrinfo, real_gethostbyname = socket.getaddrinfo, socket.gethostbyname

    def guard(host: object) -> None:
        calls.append(str(host))
        if ".onion" in str(host).lower():
            raise AssertionError(f"the system resolver was asked for {host}")

    def getaddrinfo(host, *args, **kwargs):
        guard(host)
        return real_getaddrinfo(host, *args, **kwargs)

    def gethostbyname(host):
        guard(host)
        return real_gethostbyname(host)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "gethostbyname", gethostbyname)
    return calls


@pytest.fixture
def tor(desk_cli):
    """A SOCKS5 server relaying every connection to the desk's live intake."""
    address = urlsplit(desk_cli.intake.url)
    with socks5_server((address.hostname, address.port)) as server:
        yield server


def pull(capsys, desk_cli, *options):
    return run_cli(
        capsys, "desk", "pull", *desk_cli.options(ONION_URL), "--identity",
        str(desk_cli.identity), *options,
    )  # fmt: skip


def test_pull_and_reply_go_through_the_proxy_which_resolves_the_onion_name(
    capsys, desk_cli, tor, resolver_calls
):
    browser = SourceBrowser(desk_cli.intake)
    browser.new_codename()
    browser.submit("what happened")

    pulled = pull(capsys, desk_cli, "--proxy", tor.url)
    (source_id,) = re.findall(r"(intake:[0-9a-f]{32}): stored", pulled.stderr)
    replied = run_cli(
        capsys, "desk", "reply", source_id, "--text", "We read it.",
        *desk_cli.options(ONION_URL), "--proxy", tor.url,
    )  # fmt: skip

    assert pulled.exit_code == 0, pulled.stderr
    assert replied.exit_code == 0, replied.stderr
    assert "We read it." in browser.source_page()
    browser.close()
    # every request (list, download, acknowledge, reply) asked the proxy for the name
    assert len(tor.requests) >= 4
    assert set(tor.requests) == {(DOMAIN_NAME, ONION, 80)}
    assert not [name for name in resolver_calls if ".onion" in name]


def test_the_proxy_can_be_set_in_the_environment(
    capsys, desk_cli, tor, resolver_calls, monkeypatch
):
    monkeypatch.setenv("TESTAMENT_PROXY", tor.url)

    result = pull(capsys, desk_cli)

    assert result.exit_code == 0, result.stderr
    assert tor.requests == [(DOMAIN_NAME, ONION, 80)]


def test_an_onion_intake_without_a_proxy_is_refused(capsys, desk_cli, resolver_calls):
    result = pull(capsys, desk_cli)

    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert "--proxy socks5h://127.0.0.1:9050" in result.stderr
    assert not resolver_calls


def test_a_proxy_that_resolves_names_locally_is_refused_for_an_onion(
    capsys, desk_cli, resolver_calls
):
    result = pull(capsys, desk_cli, "--proxy", "socks5://127.0.0.1:9050")

    assert result.exit_code == 1
    assert "socks5h://" in result.stderr
    assert not resolver_calls


@pytest.mark.parametrize(
    "proxy",
    ["http://127.0.0.1:8118", "socks5h://127.0.0.1", "127.0.0.1:9050", "socks4://127.0.0.1:9050"],
)
def test_a_proxy_that_is_not_socks5_with_a_port_is_refused(capsys, desk_cli, proxy):
    result = pull(capsys, desk_cli, "--proxy", proxy)

    assert result.exit_code == 1
    assert "--proxy must be a SOCKS5 address" in result.stderr


def test_a_proxy_that_is_not_running_says_so(capsys, desk_cli, resolver_calls):
    result = pull(capsys, desk_cli, "--proxy", f"socks5h://127.0.0.1:{free_port()}")

    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert f"cannot reach {ONION_URL}" in result.stderr
    assert "is Tor running?" in result.stderr


def test_an_onion_the_proxy_cannot_reach_says_so(capsys, desk_cli, resolver_calls):
    with socks5_server(("127.0.0.1", 9), refuse_with=HOST_UNREACHABLE) as tor:
        result = pull(capsys, desk_cli, "--proxy", tor.url)

    assert result.exit_code == 1
    assert f"could not reach {ONION}:80" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_proxy_password_is_never_shown(capsys, desk_cli):
    result = pull(capsys, desk_cli, "--proxy", f"socks5h://tor:s3cret@127.0.0.1:{free_port()}")

    assert result.exit_code == 1
    assert "s3cret" not in result.stderr


def test_a_redirect_is_not_followed_with_the_token(capsys):
    """A hostile intake pointing the desk elsewhere must not get the token sent there."""
    seen: list[str | None] = []

    class Elsewhere(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization"))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    other = ThreadingHTTPServer(("127.0.0.1", 0), Elsewhere)

    class Redirecting(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{other.server_address[1]}/steal")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    intake = ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
    threads = [threading.Thread(target=s.serve_forever, args=(0.02,)) for s in (other, intake)]
    for thread in threads:
        thread.start()
    try:
        with pytest.raises(IntakeConnectionError, match="HTTP 302"):
            IntakeClient(f"http://127.0.0.1:{intake.server_address[1]}", "the-token").submissions()
    finally:
        for server in (other, intake):
            server.shutdown()
            server.server_close()
        for thread in threads:
            thread.join()
    assert seen == []
