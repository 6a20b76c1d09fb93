"""Issue 7: `manage.py check --deploy` is clean with production settings from the environment."""

import os
import subprocess
import sys

from tests.support.worker import REPO_ROOT

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "-production-secret-from-the-environment-" + "y" * 20,
    "ALLOWED_HOSTS": "ads.example.com",
    "DATABASE_URL": "",
}


def manage(*args, env):
    # The test process allows sync DB calls from async contexts (for Playwright); production does not.
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO_ROOT, capture_output=True, text=True,
                          env={**base, **env})


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    env={**PRODUCTION_ENV, "ADCREATOR_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**PRODUCTION_ENV, "SECRET_KEY": "", "ADCREATOR_VAR_DIR": str(tmp_path)}
    result = manage("check", env=env)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr
