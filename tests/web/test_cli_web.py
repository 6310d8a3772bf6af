"""`vanban serve`, `createsuperuser`, `backup`, `restore` run for real, as a user runs them."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

VANBAN = [sys.executable, "-m", "generator.cli"]


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "VANBAN_DATA_DIR", "DJANGO_SETTINGS_MODULE")}
    env.update(VANBAN_LANG="vi", **extra)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(*args, **env):
    return subprocess.run([*VANBAN, *args], capture_output=True, text=True, env=_env(**env), timeout=300)


@pytest.fixture
def server(tmp_path):
    port = _free_port()
    proc = subprocess.Popen(
        [*VANBAN, "serve", "--demo", "--port", str(port), "--data-dir", str(tmp_path / "data")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=_env(),
        start_new_session=True,
    )
    lines = []
    try:
        for line in proc.stdout:  # the URL is printed once the database is ready
            lines.append(line)
            if "Listening at" in line:
                break
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):  # the workers may still be booting
            try:
                urllib.request.urlopen(base + "/login/", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        yield base, "".join(lines), tmp_path / "data"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def test_serve_demo_prints_url_and_logins_and_serves_the_office(server):
    base, output, data = server
    assert f"{base}/" in output
    assert "vanphong.dang-uy-ban" in output and "mật khẩu vanban-demo" in output
    assert "Văn phòng (soạn, vào sổ, phát hành)" in output and "Office (drafts" not in output  # roles in Vietnamese
    assert (data / "vanban.sqlite3").exists() and (data / "secret-key").exists()
    assert oct((data / "secret-key").stat().st_mode)[-3:] == "600"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login/").read().decode()
    assert "Đăng nhập" in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"username": "vanphong.dang-uy-ban", "password": "vanban-demo", "csrfmiddlewaretoken": token}
    ).encode()
    req = urllib.request.Request(base + "/login/", form, headers={"Referer": base + "/login/"})
    docs = opener.open(req).read().decode()
    assert "01-KH/ĐUB" in opener.open(base + "/register/").read().decode()
    assert "Văn bản của cấp ủy" in docs
    css = opener.open(base + "/static/web/app.css")
    assert css.status == 200 and b"font" in css.read()
    head = opener.open(base + "/documents/")
    assert "default-src 'self'" in head.headers["Content-Security-Policy"]


def test_createsuperuser_backup_and_restore(tmp_path):
    data = tmp_path / "data"
    r = _run(
        "createsuperuser",
        "--username",
        "quantri",
        "--email",
        "qt@example.org",
        "--data-dir",
        str(data),
        DJANGO_SUPERUSER_PASSWORD="mat-khau-dai-9",
    )
    assert r.returncode == 0, r.stderr
    db = data / "vanban.sqlite3"
    with sqlite3.connect(db) as con:
        (pw,) = con.execute("select password from auth_user where username='quantri'").fetchone()
    assert pw.startswith("pbkdf2_sha256$")  # hashed, never stored as typed
    backup = tmp_path / "sao-luu" / "vanban.bak"
    r = _run("backup", str(backup), "--data-dir", str(data))
    assert r.returncode == 0, r.stderr
    assert str(backup) in r.stdout
    with sqlite3.connect(db) as con:
        con.execute("delete from auth_user")
    r = _run("backup", str(backup), "--data-dir", str(data))
    assert r.returncode == 1 and "--force" in r.stderr and "Traceback" not in r.stderr
    r = _run("restore", str(backup), "--yes", "--data-dir", str(data))
    assert r.returncode == 0, r.stderr
    with sqlite3.connect(db) as con:
        assert con.execute("select username from auth_user").fetchall() == [("quantri",)]


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bad = tmp_path / "not-a-backup.bak"
    bad.write_text("hello")
    r = _run("restore", str(bad), "--yes", "--data-dir", str(tmp_path / "data"))
    assert r.returncode == 1 and "không phải bản sao lưu do `vanban backup` tạo" in r.stderr and "Traceback" not in r.stderr
    assert "file is not a database" not in r.stderr  # SQLite's own English stays out
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as con:
        con.execute("create table notes (x)")
    r = _run("restore", str(other), "--yes", "--data-dir", str(tmp_path / "data"))
    assert r.returncode == 1 and "không phải bản sao lưu do `vanban backup` tạo" in r.stderr


def test_backup_keeps_the_attached_files_and_restore_brings_them_back(tmp_path):
    data = tmp_path / "data"
    r = _run(
        "createsuperuser",
        "--username",
        "qt",
        "--email",
        "qt@example.org",
        "--data-dir",
        str(data),
        DJANGO_SUPERUSER_PASSWORD="mat-khau-dai-9",
    )
    assert r.returncode == 0, r.stderr
    attached = data / "media" / "progress" / "2026" / "bien-ban-hop.pdf"
    attached.parent.mkdir(parents=True)
    attached.write_bytes(b"%PDF-1.4 bien ban")
    backup = tmp_path / "sao-luu" / "vanban.bak"
    r = _run("backup", str(backup), "--data-dir", str(data))
    assert r.returncode == 0, r.stderr
    archive = backup.with_name("vanban.bak.media.tar")
    assert str(archive) in r.stdout
    attached.unlink()
    r = _run("restore", str(backup), "--yes", "--data-dir", str(data))
    assert r.returncode == 0, r.stderr
    assert attached.read_bytes() == b"%PDF-1.4 bien ban"
    assert str(archive) in r.stdout


def test_restore_refuses_an_archive_that_writes_outside_the_media_folder(tmp_path):
    import io
    import tarfile

    data = tmp_path / "data"
    r = _run(
        "createsuperuser",
        "--username",
        "qt",
        "--email",
        "qt@example.org",
        "--data-dir",
        str(data),
        DJANGO_SUPERUSER_PASSWORD="mat-khau-dai-9",
    )
    assert r.returncode == 0, r.stderr
    backup = tmp_path / "vanban.bak"
    assert _run("backup", str(backup), "--data-dir", str(data)).returncode == 0
    with tarfile.open(tmp_path / "vanban.bak.media.tar", "w") as tar:
        info = tarfile.TarInfo("../../escaped.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    r = _run("restore", str(backup), "--yes", "--data-dir", str(data))
    assert r.returncode == 1 and "tệp đính kèm" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "escaped.txt").exists()
