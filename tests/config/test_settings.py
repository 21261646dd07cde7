"""Production settings refuse to start without their secrets and pass `check --deploy`."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


def run_kinerja(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-m", "kinerja", *args],
        env={**base, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(tmp_path: Path) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "kinerja.config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "kinerja.example.go.id",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://kinerja.example.go.id",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }


def test_check_deploy_reports_no_warnings(tmp_path):
    result = run_kinerja("check", "--deploy", env=production_env(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY must be set"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS must list"),
    ],
)
def test_production_refuses_to_start_without_secret(tmp_path, missing, message):
    env = production_env(tmp_path)
    del env[missing]
    result = run_kinerja("check", env=env, cwd=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


def test_short_secret_key_is_refused(tmp_path):
    env = {**production_env(tmp_path), "DJANGO_SECRET_KEY": "too-short"}
    result = run_kinerja("check", env=env, cwd=tmp_path)
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_env_example_documents_every_variable_the_settings_read():
    settings_dir = Path(__file__).resolve().parents[2] / "src" / "kinerja" / "config" / "settings"

    read = set()
    for module in settings_dir.glob("*.py"):
        read |= set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', module.read_text()))
    documented = set(re.findall(r"^([A-Z_]+)=", ENV_EXAMPLE.read_text(), flags=re.M))
    assert read, "no environment variables found in the settings"
    assert read <= documented, f"undocumented in .env.example: {sorted(read - documented)}"
