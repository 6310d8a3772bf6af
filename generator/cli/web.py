"""`vanban serve`, `vanban createsuperuser`, `vanban backup`, `vanban restore`: the web application's commands.

Django is set up only inside these commands, so the rest of the CLI starts as fast as before.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import click

from generator.lang.i18n import _, language

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def _django(data_dir: str | None, host: str | None = None):
    if data_dir:
        os.environ["VANBAN_DATA_DIR"] = str(Path(data_dir).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "generator.web.settings")
    if host and host not in LOOPBACK and host not in ("0.0.0.0", "::"):
        hosts = os.environ.get("VANBAN_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
        os.environ["VANBAN_ALLOWED_HOSTS"] = f"{hosts},{host}"
    import django

    from generator.web.catalog import compile_catalogs

    compile_catalogs()
    django.setup()
    from django.conf import settings
    from django.utils import translation

    from generator.lang.i18n import language

    translation.activate(language())  # what Django prints (role names) follows the command's language

    return settings


def _sqlite_path(settings) -> Path | None:
    db = settings.DATABASES["default"]
    return Path(db["NAME"]) if db["ENGINE"].endswith("sqlite3") else None


data_dir_option = click.option(
    "--data-dir",
    envvar="VANBAN_DATA_DIR",
    type=click.Path(file_okay=False),
    help=_("Data folder (database, secret key); default ./vanban-data or VANBAN_DATA_DIR."),
)


@click.command()
@click.option("--demo", is_flag=True, help=_("Load the sample committee tree, plan and unit plans, with demo logins."))
@click.option("--host", default="127.0.0.1", show_default=True, help=_("Address to listen on."))
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help=_("Port to listen on."))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help=_("Server processes."))
@data_dir_option
def serve(demo: bool, host: str, port: int, workers: int, data_dir: str | None) -> None:
    """Start the web application (gunicorn), creating and migrating its database on first start."""
    settings = _django(data_dir, host)
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", interactive=False, verbosity=0)
    logins = []
    if demo:
        from generator.web import demo as demo_data

        if not demo_data.SAMPLE.exists():  # the samples ship with a checkout, not with a wheel
            raise click.ClickException(
                _("--demo needs the sample plan {path}: run from a checkout of vanban", path=demo_data.SAMPLE)
            )
        logins = demo_data.load(language())  # the roles printed in the user's language
    connections.close_all()  # each server process opens its own
    shown = f"[{host}]" if ":" in host else host
    click.echo(_("vanban web application: http://{host}:{port}/", host=shown, port=port))
    db = _sqlite_path(settings)
    click.echo(_("database: {db}", db=db if db else settings.DATABASES["default"]["ENGINE"]))
    if logins:
        from generator.web.demo import PASSWORD

        click.echo(_("demo logins (password {password}):", password=PASSWORD))
        for login, what in logins:
            click.echo(f"  {login:32} {what}")
        click.echo(_("  (every committee has vanphong.<code> and lanhdao.<code>)"))
    sys.stdout.flush()
    worker = _page_worker(settings)
    try:
        _gunicorn(host, port, workers)
    finally:
        _stop(worker)


def _page_worker(settings) -> subprocess.Popen | None:
    """The page worker (a warm LibreOffice making the page images, generator.convert.pageworker), beside the
    web server: it dies with this process (death signal) and is stopped when the server stops."""
    if os.environ.get("VANBAN_PAGE_WORKER", "1") == "0":
        return None
    root = Path(getattr(settings, "VANBAN_PAGES_DIR", settings.DATA_DIR / "pages"))
    cmd = [sys.executable, "-m", "generator.convert.pageworker", str(root), "--parent", str(os.getpid())]
    cmd += ["--timeout", str(settings.VANBAN_PDF_TIMEOUT)]
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    except OSError as exc:  # the web still works: every request converts its own PDF
        click.echo(_("page worker not started ({reason}); PDFs are converted in the request", reason=exc), err=True)
        return None
    click.echo(_("page worker: process {pid}, cache {path}", pid=proc.pid, path=root))
    return proc


def _stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()  # it stops LibreOffice (its supervisor removes the profile) and exits
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _gunicorn(host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    class App(BaseApplication):
        def load_config(self):
            bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            for key, value in {
                "bind": bind,
                "workers": workers,
                "worker_class": "gthread",
                "threads": 8,
                "timeout": 120,
                "graceful_timeout": 10,
                "accesslog": None,
                # The application (Django, vanban's core, its reference data and templates: core.warm) is loaded
                # once before the workers fork: they start at once and share it.
                "preload_app": True,
            }.items():
                self.cfg.set(key, value)

        def load(self):
            from generator.web import core
            from generator.web.wsgi import application

            core.warm()
            return application

    App().run()


@click.command()
@click.option("--username", help=_("User name (asked when not given)."))
@click.option("--email", default="", help=_("E-mail address."))
@data_dir_option
def createsuperuser(username: str | None, email: str, data_dir: str | None) -> None:
    """Create the first administrator account (password asked, or from DJANGO_SUPERUSER_PASSWORD)."""
    _django(data_dir)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    options: dict[str, bool | str] = {"interactive": not os.environ.get("DJANGO_SUPERUSER_PASSWORD")}
    if username:
        options["username"] = username
        options["email"] = email
    call_command("createsuperuser", **options)


@click.command()
@click.argument("target", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help=_("Overwrite the file."))
@data_dir_option
def backup(target: str, force: bool, data_dir: str | None) -> None:
    """Copy the database to TARGET while the application runs (SQLite: online backup; PostgreSQL: pg_dump), and the
    attached files to TARGET.media.tar beside it."""
    settings = _django(data_dir)
    out = Path(target)
    if out.exists() and not force:
        raise click.ClickException(_("{path} already exists; use --force to overwrite it", path=out))
    db = _sqlite_path(settings)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".vanban-backup-", dir=out.parent)
    os.close(fd)
    try:
        if db is not None:
            if not db.exists():
                raise click.ClickException(_("{path}: no database yet (start the application once)", path=db))
            src, dst = sqlite3.connect(db), sqlite3.connect(tmp)
            try:
                src.backup(dst)  # a consistent copy while others keep writing
            finally:
                dst.close()
                src.close()
        else:
            _pg("pg_dump", ["--format=custom", "--no-owner", f"--file={tmp}", _pg_url(settings)])
        media = _backup_media(Path(settings.MEDIA_ROOT), _media_archive(out))
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    click.echo(_("backup written: {path}", path=out))
    if media:
        click.echo(_("attached files written: {path}", path=media))


def _media_archive(backup: Path) -> Path:
    # The files units attach to their progress reports live in MEDIA_ROOT, not in the database: a backup without
    # them restores reports whose attachments are gone.
    return backup.with_name(backup.name + ".media.tar")


def _backup_media(root: Path, archive: Path) -> Path | None:
    files = [p for p in root.rglob("*") if p.is_file()] if root.is_dir() else []
    if not files:
        archive.unlink(missing_ok=True)  # an older archive beside an overwritten backup would come back on restore
        return None
    fd, tmp = tempfile.mkstemp(prefix=".vanban-media-", dir=archive.parent)
    os.close(fd)
    try:
        with tarfile.open(tmp, "w") as tar:
            for f in sorted(files):
                tar.add(f, arcname=f.relative_to(root).as_posix())
        os.replace(tmp, archive)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return archive


def _restore_media(archive: Path, root: Path) -> bool:
    if not archive.is_file():
        return False
    try:
        with tarfile.open(archive) as tar:
            root.mkdir(parents=True, exist_ok=True)
            tar.extractall(root, filter="data")  # no absolute paths, links or '..' out of MEDIA_ROOT
    except (tarfile.TarError, OSError) as exc:
        raise click.ClickException(_("{path}: the attached files cannot be restored ({exc})", path=archive, exc=exc)) from None
    return True


@click.command()
@click.argument("source", type=click.Path(dir_okay=False, exists=True))
@click.option("--yes", is_flag=True, help=_("Do not ask for confirmation."))
@data_dir_option
def restore(source: str, yes: bool, data_dir: str | None) -> None:
    """Replace the database with a backup made by `vanban backup` (stop the application first)."""
    settings = _django(data_dir)
    if not yes:
        click.confirm(_("Replace the whole database with {path}?", path=source), abort=True)
    db = _sqlite_path(settings)
    if db is not None:
        refused = click.ClickException(_("{path}: not a backup made by `vanban backup`", path=source))
        try:
            src = sqlite3.connect(f"file:{Path(source).resolve()}?mode=ro", uri=True)
            # any SQLite file would replace the database: only one holding vanban's own tables is a backup
            ours = src.execute(
                "select count(*) from sqlite_master where type='table' and name in ('django_migrations', 'vanban_document')"
            )
        except sqlite3.DatabaseError:
            raise refused from None
        if ours.fetchone()[0] != 2:
            src.close()
            raise refused
        db.parent.mkdir(parents=True, exist_ok=True)
        dst = sqlite3.connect(db)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    else:
        _pg("pg_restore", ["--clean", "--if-exists", "--no-owner", f"--dbname={_pg_url(settings)}", source])
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    click.echo(_("database restored from {path}", path=source))
    archive = _media_archive(Path(source))
    if _restore_media(archive, Path(settings.MEDIA_ROOT)):
        click.echo(_("attached files restored from {path}", path=archive))


def _pg_url(settings) -> str:
    db = settings.DATABASES["default"]
    from urllib.parse import quote

    auth = quote(db.get("USER") or "") + (":" + quote(db["PASSWORD"]) if db.get("PASSWORD") else "")
    return f"postgresql://{auth}{'@' if auth else ''}{db.get('HOST') or ''}{':' + str(db['PORT']) if db.get('PORT') else ''}/{db['NAME']}"


def _pg(tool: str, args: list[str]) -> None:
    exe = shutil.which(tool)
    if exe is None:
        raise click.ClickException(_("{tool} not found; install the PostgreSQL client tools", tool=tool))
    done = subprocess.run([exe, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise click.ClickException(f"{tool}: {done.stderr.strip()}")


COMMANDS = [serve, createsuperuser, backup, restore]
