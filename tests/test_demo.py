"""``make demo`` shows what the tool exists for."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pyotp
import pytest
from starlette.testclient import TestClient

from testament.demo.__main__ import main
from testament.demo.desk_account import add_demo_account
from testament.desk.access import Role
from testament.desk.accounts import list_users
from testament.desk.web import DeskWebSettings, create_app
from testament.store import Casebook
from tests.deskweb.conftest import csrf_of


def test_the_demo_builds_a_casebook_and_shows_corroboration_and_derivation(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(tmp_path / "demo") == 0
    output = " ".join(capsys.readouterr().out.split())
    assert (tmp_path / "demo" / "casebook.sqlite").exists()
    assert "The mass-detention claim stands on 4 independent lines of reporting" in output
    assert "flagged disputed and denied by authorities" in output
    assert "src-digest-2017 repeats src-novaya-2017-04-01" in output
    assert "Against the synthetic truth, the links are right" in output
    assert "LCMCR" in output
    assert (tmp_path / "demo" / "lists" / "history.csv").exists()
    assert f"Open the report: {tmp_path / 'demo' / 'report' / 'index.html'}" in output
    assert (tmp_path / "demo" / "report" / "charts" / "estimates.svg").exists()
    assert main(tmp_path / "demo") == 0  # runs again on top of its own output
    assert "The mass-detention claim" in capsys.readouterr().out


def test_the_demo_makes_a_desk_account_that_logs_in_and_says_how(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "demo"
    assert main(folder) == 0
    output = capsys.readouterr().out
    database = folder / "casebook.sqlite"
    assert f"testament desk serve --db {database}" in output
    assert "http://127.0.0.1:8081" in output
    assert "User:             demo (researcher)" in output
    password = re.search(r"^Password: +(\S+)$", output, re.M)
    secret = re.search(r"^TOTP secret: +([A-Z2-7]+)$", output, re.M)
    assert password is not None
    assert secret is not None
    uri = re.search(r"^otpauth URI: +(otpauth://totp/\S+)$", output, re.M)
    assert uri is not None
    assert pyotp.parse_uri(uri.group(1)).secret == secret.group(1)
    saved = folder / "desk-account.txt"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert password.group(1) in saved.read_text(encoding="utf-8")
    assert secret.group(1) in saved.read_text(encoding="utf-8")

    with Casebook.open(database) as casebook:
        users = list_users(casebook.engine)
    assert [(user.name, user.role) for user in users] == [("demo", Role.RESEARCHER)]
    app = create_app(DeskWebSettings(casebook=str(database)))
    with TestClient(app, base_url="https://desk.test") as client:
        token = csrf_of(client.get("/login").text)
        answer = client.post(
            "/login",
            data={
                "csrf_token": token,
                "name": "demo",
                "password": password.group(1),
                "code": pyotp.TOTP(secret.group(1)).now(),
            },
            follow_redirects=False,
        )
        assert answer.status_code == 303
        assert answer.headers["location"] == "/inbox"
        assert client.get("/inbox").status_code == 200


def test_the_demo_accounts_secrets_are_drawn_anew_each_time(tmp_path: Path) -> None:
    made = []
    for run in ("one", "two"):
        (tmp_path / run).mkdir()
        Casebook.create(tmp_path / run / "casebook.sqlite").close()
        account, _ = add_demo_account(tmp_path / run / "casebook.sqlite", tmp_path / run)
        made.append((account.password, account.enrolment.secret))
    assert made[0][0] != made[1][0]
    assert made[0][1] != made[1][1]
