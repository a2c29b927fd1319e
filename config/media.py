"""Where uploaded files live: ``STORAGES["public"]`` and ``STORAGES["private"]``.

``MEDIA_STORAGE=disk`` (the default) keeps them under ``MEDIA_ROOT/public`` and
``MEDIA_ROOT/private``; ``MEDIA_STORAGE=s3`` puts them in two buckets of any S3-compatible
object store (MinIO, Aliyun OSS, Tencent COS, Ceph, AWS). Both descriptions are built from
the environment every time, so ``manage.py media_transfer`` can reach the side the site is
not using.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from config.env import env_int, env_str

KINDS = ("disk", "s3")
ALIASES = ("public", "private")


def s3_settings() -> dict:
    """The object store, from ``S3_*`` variables (see docs/operations.md)."""
    return {
        "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
        "region_name": env_str("S3_REGION", "us-east-1"),
        "access_key": env_str("S3_ACCESS_KEY_ID"),
        "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
        "public_bucket": env_str("S3_PUBLIC_BUCKET"),
        "private_bucket": env_str("S3_PRIVATE_BUCKET"),
        # Where browsers fetch public files: a CDN, the bucket's own domain, or a path on
        # this site that nginx proxies to the bucket. Unset: the endpoint's path-style URL.
        "public_url": env_str("S3_PUBLIC_URL").rstrip("/"),
        "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),
        # "public-read" for stores that need a per-object ACL; unset where a bucket policy
        # makes the public bucket readable.
        "public_acl": env_str("S3_PUBLIC_ACL") or None,
        "private_url_seconds": env_int("PRIVATE_URL_SECONDS", 300),
    }


def storage_entry(kind: str, alias: str, s3: dict | None = None) -> dict:
    """One ``STORAGES`` entry: the backend class and its options."""
    if kind not in KINDS:
        raise ImproperlyConfigured(f"MEDIA_STORAGE must be one of {', '.join(KINDS)}, not {kind!r}.")
    if alias not in ALIASES:
        raise ValueError(alias)
    if kind == "disk":
        # The folder follows MEDIA_ROOT (read when used), so it takes no options.
        return {"BACKEND": f"common.storage.{alias.capitalize()}DiskStorage"}
    s3 = s3 or s3_settings()
    bucket = s3[f"{alias}_bucket"]
    missing = [
        name
        for name, value in (
            ("S3_ACCESS_KEY_ID", s3["access_key"]),
            ("S3_SECRET_ACCESS_KEY", s3["secret_key"]),
            (f"S3_{alias.upper()}_BUCKET", bucket),
        )
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(f"Media on object storage needs {', '.join(missing)} (see docs/operations.md).")
    options = {
        "endpoint_url": s3["endpoint_url"],
        "region_name": s3["region_name"],
        "access_key": s3["access_key"],
        "secret_key": s3["secret_key"],
        "bucket_name": bucket,
        "addressing_style": s3["addressing_style"],
        "signature_version": "s3v4",
    }
    if alias == "public":
        options["querystring_auth"] = False
        options["default_acl"] = s3["public_acl"]
        if s3["public_url"]:
            parts = urlsplit(s3["public_url"])
            options["url_protocol"] = f"{parts.scheme}:" if parts.scheme else "https:"
            options["custom_domain"] = f"{parts.netloc}{parts.path}"
    else:
        options["querystring_auth"] = True
        options["querystring_expire"] = s3["private_url_seconds"]
    return {"BACKEND": f"common.storage.{alias.capitalize()}S3Storage", "OPTIONS": options}


def media_storages(kind: str) -> dict:
    return {alias: storage_entry(kind, alias) for alias in ALIASES}


def media_origins(kind: str) -> list[str]:
    """Origins other than our own that pages may load pictures from (for the CSP)."""
    if kind != "s3":
        return []
    s3 = s3_settings()
    origins = []
    for url in (s3["public_url"], s3["endpoint_url"]):
        parts = urlsplit(url or "")
        if parts.scheme and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return list(dict.fromkeys(origins))
