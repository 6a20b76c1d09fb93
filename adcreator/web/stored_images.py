"""Stored images: named after their detected format when stored, served by their bytes.

- `name_uploads_by_content` (a pre_save receiver for every model, connected in the web core's
  AppConfig): a new upload in any ImageField is renamed to the extension of the format its
  bytes are in, so "evil.pdf" holding a PNG is stored as "evil.png". One place for all image
  fields, whatever storage backend is configured.
- `open_stored_image`: what a view serves. The content type comes from the file's first
  bytes, never from its name, and anything but PNG, JPEG or WebP is refused.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import IO

from django.core.files.storage import default_storage
from django.db import models

from adcreator.web.uploads import (
    ALLOWED_FORMATS,
    FORMAT_EXTENSIONS,
    SIGNATURE_BYTES,
    name_for_format,
    sniff_image_format,
)

logger = logging.getLogger(__name__)

_IMAGE_FIELDS: dict[type, list[str]] = {}


def _image_fields(model: type) -> list[str]:
    if model not in _IMAGE_FIELDS:
        _IMAGE_FIELDS[model] = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.ImageField)]
    return _IMAGE_FIELDS[model]


def _head(content) -> bytes:
    position = content.tell() if hasattr(content, "tell") else None
    try:
        content.seek(0)
        return content.read(SIGNATURE_BYTES)
    finally:
        if position is not None:
            content.seek(position)


def name_uploads_by_content(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    for attname in _image_fields(sender):
        field_file = getattr(instance, attname, None)
        # Only a new upload (not yet in storage) is renamed; a stored file keeps its name.
        if not field_file or getattr(field_file, "_committed", True):
            continue
        fmt = sniff_image_format(_head(field_file.file))
        if fmt is not None:
            field_file.name = name_for_format(field_file.name, fmt)


class UnservableImage(Exception):
    """The stored file is missing, or its bytes are not an image we serve."""


@dataclass
class StoredImage:
    handle: IO[bytes]
    format: str

    @property
    def content_type(self) -> str:
        return ALLOWED_FORMATS[self.format]

    @property
    def extension(self) -> str:
        return FORMAT_EXTENSIONS[self.format]

    def filename(self, wanted: str) -> str:
        """A download name with the extension of what is really inside."""
        return name_for_format(wanted, self.format)


def open_stored_image(name: str) -> StoredImage:
    if not name or not default_storage.exists(name):
        raise UnservableImage("no stored image")
    handle = default_storage.open(name, "rb")
    head = handle.read(SIGNATURE_BYTES)
    fmt = sniff_image_format(head)
    if fmt is None:
        handle.close()
        logger.warning("refused to serve %s: its bytes are not PNG, JPEG or WebP", name)
        raise UnservableImage("the stored file is not a PNG, JPEG or WebP image")
    handle.seek(0)
    return StoredImage(handle, fmt)
