"""The district benchmark (scripts/district_benchmark.py) measures the pages it names: every
staff list answers its reader with a page, none with a refusal (a "403" row measures nothing)."""

import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import district_benchmark  # noqa: E402

SIZES = ["--streets", "2", "--groups", "20", "--works", "60", "--requests", "30", "--applications", "5"]


@pytest.mark.django_db
def test_every_list_the_district_benchmark_measures_answers_its_reader():
    call_command("generate_district", *SIZES, "--activities", "10")
    street = district_benchmark.ensure_accounts()
    measured, _export = district_benchmark.pages(street)
    staff = [(f"{who}: {label}", path, headers) for who, label, path, headers in measured if who != "public"]
    names = {name for name, _path, _headers in staff}
    # The district reader's lists that were refused before district read access, and those added since.
    for name in ("requests overview", "requests search 电梯", "campaigns", "checks", "neighbourhoods", "conferences"):
        assert f"district: {name}" in names
    answers = {name: Client(headers=headers).get(path).status_code for name, path, headers in staff}
    assert answers == dict.fromkeys(names, 200)
