"""Django for the web tests only: settings and a throw-away data folder are set here, when this folder's
tests are collected, so the rest of the suite runs as before. DATABASE_URL, when set, picks the database
(the CI runs these tests once more against PostgreSQL)."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("VANBAN_DATA_DIR", tempfile.mkdtemp(prefix="vanban-web-test-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "generator.web.settings"
# no connection kept between requests: the test database can be dropped at the end, and threads leave none behind
os.environ["VANBAN_DB_CONN_MAX_AGE"] = "0"

import django  # noqa: E402

from generator.web.catalog import compile_catalogs  # noqa: E402

compile_catalogs()
django.setup()

import pytest  # noqa: E402
from django.test import Client  # noqa: E402

from generator.web import demo  # noqa: E402
from generator.web.models import Membership  # noqa: E402


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo is loaded once into the test database; each test's changes are rolled back after it."""
    with django_db_blocker.unblock():
        demo.load()


@pytest.fixture
def tree(db):
    """The demo: committee tree, the sample plan issued by the Đảng ủy Ban, two derived drafts."""
    return {m.user.username: m for m in Membership.objects.select_related("user", "committee")}


def login(username: str, lang: str = "vi") -> Client:
    c = Client()
    c.cookies["django_language"] = lang
    c.force_login(Membership.objects.get(user__username=username).user)
    return c


@pytest.fixture
def client_for():
    return login
