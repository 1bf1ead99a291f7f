"""Settings: one frozen object, validated at start-up, secrets masked, every setting documented."""

from __future__ import annotations

import dataclasses

import pytest

from testament.core.errors import SettingsError
from testament.intake.settings import SETTING_NAMES, SETTINGS_FILE, load_settings


def test_settings_round_trip_through_the_file(instance):
    assert load_settings(instance.folder) == instance.settings


def test_settings_are_frozen(instance):
    with pytest.raises(dataclasses.FrozenInstanceError):
        instance.settings.max_body_bytes = 1  # type: ignore[misc]


def test_secrets_are_not_in_repr(instance):
    text = repr(instance.settings)
    assert instance.settings.pepper.hex() not in text
    assert instance.settings.desk_token_sha256 not in text
    assert "pepper" not in text


def test_missing_settings_file_says_how_to_create_one(tmp_path):
    with pytest.raises(SettingsError, match="testament intake init"):
        load_settings(tmp_path)


def rewrite(instance, old: str, new: str) -> None:
    path = instance.folder / SETTINGS_FILE
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ("recipients = [", "recipientz = [", "recipientz"),
        ("max_parts = 64", "max_parts = 0", "max_parts"),
        ("max_parts = 64", 'max_parts = "many"', "max_parts"),
        ("retention_days = 7", "retention_days = true", "retention_days"),
        ("upload_idle_timeout_seconds = 300.0", "upload_idle_timeout_seconds = -1", "upload_idle"),
        ("kdf_memory_kib = 8", "kdf_memory_kib = 4", "kdf_memory_kib"),
    ],
)
def test_invalid_values_name_the_setting(instance, old, new, named):
    rewrite(instance, old, new)
    with pytest.raises(SettingsError, match=named):
        load_settings(instance.folder)


def test_a_bad_recipient_is_refused_at_start_up(instance):
    rewrite(instance, instance.settings.recipients[0], "age1notarecipient")
    with pytest.raises(SettingsError, match="recipients"):
        load_settings(instance.folder)


def test_a_short_pepper_is_refused(instance):
    rewrite(instance, instance.settings.pepper.hex(), "abcd")
    with pytest.raises(SettingsError, match="pepper"):
        load_settings(instance.folder)


def test_every_setting_is_documented(request):
    deployment = (request.config.rootpath / "docs" / "deployment.md").read_text(encoding="utf-8")
    undocumented = [name for name in SETTING_NAMES if f"| `{name}` |" not in deployment]
    assert undocumented == []
