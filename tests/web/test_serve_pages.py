"""`vanban serve` starts the page worker beside the web server, "Xem trang in" goes through it, and
stopping the server stops the worker and its LibreOffice."""

from __future__ import annotations

import http.cookiejar
import io
import json
import os
import re
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pypdf
import pytest

from generator.convert.pages import PageCache
from generator.convert.warm import uno_python

from ..test_pageworker import _tree
from .test_cli_web import VANBAN, _env, _free_port

pytestmark = pytest.mark.skipif(uno_python() is None, reason="python3-uno is not installed (.ci/setup installs it)")


def _login(base: str):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(base + "/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"username": "vanphong.dang-uy-ban", "password": "vanban-demo", "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(urllib.request.Request(base + "/login/", form, headers={"Referer": base + "/login/"}))
    return opener


def test_serve_runs_the_page_worker_and_stops_it(tmp_path):
    port = _free_port()
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [*VANBAN, "serve", "--demo", "--port", str(port), "--data-dir", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=_env(),
        start_new_session=True,
    )
    cache = PageCache(data / "pages")
    below: list[int] = []
    try:
        output = []
        for line in proc.stdout:
            output.append(line)
            if "Listening at" in line:
                break
        assert any("tiến trình tạo trang" in line for line in output)
        end = time.monotonic() + 120
        while not cache.worker_alive() and time.monotonic() < end:
            time.sleep(0.2)
        assert cache.worker_alive()
        base = f"http://127.0.0.1:{port}"
        opener = _login(base)
        opener.open(base + "/documents/1/pages/").read()
        state: dict = {}
        end = time.monotonic() + 180
        while time.monotonic() < end:
            state = json.loads(opener.open(base + "/documents/1/pages/status.json").read())
            if state["state"] != "pending":
                break
            time.sleep(0.3)
        assert state["state"] == "done", state
        html = opener.open(base + "/documents/1/pages/").read().decode()
        images = re.findall(r'<img src="([^"]+)"', html)
        pdf = opener.open(base + "/documents/1/download/pdf/").read()
        assert len(images) == state["pages"] == len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
        assert [p.name for p in cache.root.iterdir() if len(p.name) == 64]  # made by the worker, in the data folder
        below = _tree(proc.pid)
    finally:
        os.kill(proc.pid, signal.SIGTERM)  # the server only: it stops its worker itself
        proc.wait(timeout=60)
        time.sleep(0.5)
    assert [pid for pid in below if Path(f"/proc/{pid}").exists()] == []  # worker and LibreOffice gone
    assert not cache.worker_alive()
