"""``netiquette serve``: the web app under gunicorn, with a one-time sign-in link."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from netiquette.cli.common import STATE, say

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on "
                             "(default: loopback only)."),
    port: int = typer.Option(8765, "--port", min=0, max=65535, help="Port to listen on."),
    workers: int = typer.Option(0, "--workers", min=0,
                                help="Worker processes (default: one per CPU, at least 2)."),
    threads: int = typer.Option(2, "--threads", min=1, help="Threads per worker (Python runs "
                                "one at a time: more threads add waiting, not speed, unless "
                                "requests wait on a database server)."),
    access_log: bool = typer.Option(False, "--access-log", help="Log every request."),
) -> None:
    """Run the web app (gunicorn) and print a single-use sign-in link."""
    from netiquette import bootstrap

    bootstrap.setup(STATE.db)
    from netiquette.paths import data_dir

    os.environ.setdefault("NETIQUETTE_SECRET_KEY", _secret_key(data_dir() / "secret_key"))
    _allow_host(host)
    port = _free_port(host, port)
    base = f"http://{_url_host(host)}:{port}"
    say(f"netiquette is serving on {base}/  (Ctrl-C stops it)")
    for line in _sign_in_lines(base):
        say(line)
    sys.stdout.flush()
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    args = [sys.executable, "-m", "gunicorn", "netiquette.wsgi:application",
            "--bind", bind, "--worker-class", "gthread",
            "--workers", str(workers or max(2, os.cpu_count() or 1)),
            "--threads", str(threads), "--keep-alive", "30", "--timeout", "120",
            "--graceful-timeout", "5", "--log-level", "warning", "--error-logfile", "-",
            # each worker listens on its own socket and the kernel spreads new connections
            # evenly; on one shared socket whichever worker wakes first may take all of a
            # browser's (or a benchmark's) keep-alive connections and leave the other idle
            "--reuse-port"]
    if access_log:
        args += ["--access-logfile", "-"]
    sys.stderr.flush()
    os.execv(sys.executable, args)


def _free_port(host: str, port: int) -> int:
    """``port`` if nothing listens there (``0``: a free one). Checked here because the
    workers' shared listening (SO_REUSEPORT) would otherwise let a second ``serve`` on the
    same port quietly split the requests with the first."""
    import socket

    from netiquette.errors import UserError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise UserError(f"--port: cannot listen on {host} port {port}: "
                            f"{exc.strerror or exc} (is netiquette serve running already?)"
                            ) from None
        return int(probe.getsockname()[1])


def _sign_in_lines(base: str) -> list[str]:
    from netiquette.services.members import NoMember, resolve_member
    from netiquette.services.webauth import LOGIN_TOKEN_TTL, issue_login_token

    try:
        member = resolve_member(STATE.member)
    except NoMember:
        return ['No member yet: stop the server and run  netiquette init --name "Your Name"']
    except Exception as exc:  # several members and no --member: passwords, then
        from netiquette.errors import UserError

        if not isinstance(exc, UserError):
            raise
        return [f"Several members: sign in with your password at {base}/login",
                "(or run  netiquette --member NAME serve  for a sign-in link)"]
    token = issue_login_token(member)
    hours = int(LOGIN_TOKEN_TTL.total_seconds() // 3600)
    return [f"Sign in as {member.profile.display_name} (link works once, "  # type: ignore[attr-defined]
            f"for {hours} hours):", f"    {base}/login?token={token}"]


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", "::", ""):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def _allow_host(host: str) -> None:
    if host in LOOPBACK or host in ("0.0.0.0", "::"):
        return
    current = os.environ.get("NETIQUETTE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
    os.environ["NETIQUETTE_ALLOWED_HOSTS"] = f"{current},{_url_host(host)}"


def _secret_key(path: Path) -> str:
    """This installation's own secret key, made on first use and readable only by its owner."""
    try:
        return path.read_text("utf-8").strip()
    except FileNotFoundError:
        import secrets

        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(key)
        return key
