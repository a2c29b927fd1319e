"""The two stores every upload goes to: ``storages["public"]`` and ``storages["private"]``.

Public files have a URL anyone may fetch (nginx serves them from disk, or the public
bucket does). Private files have no URL at all: ``url()`` raises, so no template or form
widget can leak a link; they reach a browser only through ``common.uploads.serve_private``
after a view has checked permission (a short-lived presigned URL on object storage,
``X-Accel-Redirect`` to nginx's internal location on disk, or streamed by the app).

Which backend each alias uses comes from ``MEDIA_STORAGE`` (``config/media.py``). Code
never reaches a file by its path on disk: anything that works here works on every node.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from storages.backends.s3 import S3Storage


class NoURLError(AttributeError):
    """An AttributeError, so ``getattr(file, "url", None)`` (form widgets, templates) finds none."""


def _no_url():
    raise NoURLError("A private file has no URL; serve it through a view that checks permission.")


class _DiskStorage(FileSystemStorage):
    """A folder under MEDIA_ROOT, read when used (so a changed MEDIA_ROOT is followed)."""

    folder = ""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return Path(settings.MEDIA_ROOT) / self.folder

    @property
    def location(self):
        return os.path.abspath(self.base_location)


class PublicDiskStorage(_DiskStorage):
    folder = "public"

    @property
    def base_url(self):
        return settings.PUBLIC_MEDIA_URL


class PrivateDiskStorage(_DiskStorage):
    folder = "private"

    def url(self, name):
        _no_url()


class PublicS3Storage(S3Storage):
    """The public bucket: plain (unsigned) URLs, computed without asking the server."""


class PrivateS3Storage(S3Storage):
    """The private bucket: no ``url()``; a presigned download link only on purpose."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        _no_url()

    def presigned_url(self, name: str, *, content_type: str, disposition: str) -> str:
        """A GET link valid for ``querystring_expire`` seconds that makes the browser show
        the file under ``disposition`` (e.g. ``inline; filename*=…``)."""
        parameters = {"ResponseContentType": content_type, "ResponseContentDisposition": disposition}
        return super().url(name, parameters=parameters)


class StorageAlias(LazyObject):
    """``storages[alias]``, looked up when first used and again after the settings change.

    Model fields keep the storage object they were given at import time; this stand-in
    lets them follow ``STORAGES`` (and tests that override it).
    """

    def __init__(self, alias: str):
        self.__dict__["_alias"] = alias
        super().__init__()
        _ALIASES.append(self)

    def _setup(self):
        self._wrapped = storages[self.__dict__["_alias"]]

    def __reduce__(self):
        return (StorageAlias, (self.__dict__["_alias"],))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


_ALIASES: list[StorageAlias] = []


@receiver(setting_changed)
def _forget_storages(*, setting, **kwargs):
    if setting in ("STORAGES", "MEDIA_ROOT"):
        storages._storages = {}
        for alias in _ALIASES:
            alias._wrapped = empty


def resolve(storage):
    """The storage object itself behind a ``StorageAlias`` (or the argument as it is)."""
    if type(storage) is StorageAlias:
        if storage._wrapped is empty:
            storage._setup()
        return storage._wrapped
    return storage
