"""Uploads stop at UPLOAD_MAX_MB while they stream in, and the form says so in the user's language.

`UploadLimitHandler` is the first of FILE_UPLOAD_HANDLERS. It counts each file's bytes as they
arrive; once a file passes the limit it hands no more of them on, the handlers after it drop what
they held (a temporary file is deleted at once), and the file reaches the form as a
`TooLargeUpload`: its name and size, no content. The rest of the request is still parsed, so a
text typed after the file field is not lost, and `UploadField` (every file field of the app)
refuses the file with a message that names the limit. nginx's client_max_body_size, set a little
above the limit (deploy/nginx), stops far larger bodies before they reach the app.

Each form keeps its own, smaller limit (a plan to import, an Excel sheet) and message; this is
the ceiling over all of them, enforced before anything is kept.
"""

from __future__ import annotations

from io import BytesIO

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def max_bytes() -> int:
    return settings.UPLOAD_MAX_MB * 1024 * 1024


class TooLargeUpload(UploadedFile):
    """A file refused while it streamed in: its name and full size, none of its content."""

    def __init__(self, name: str, content_type: str, size: int, charset, content_type_extra) -> None:
        super().__init__(BytesIO(), name, content_type, size, charset, content_type_extra)


class UploadLimitHandler(FileUploadHandler):
    """Counts each uploaded file; past UPLOAD_MAX_MB keeps none of it (see the module docstring)."""

    too_large = False

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self.too_large:
            return None
        if start + len(raw_data) > max_bytes():
            self.too_large = True
            self._drop_what_the_others_hold()
            return None
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if not self.too_large:
            return None  # the handlers after this one return the file
        return TooLargeUpload(
            self.file_name, self.content_type, file_size, self.charset, self.content_type_extra
        )

    def _drop_what_the_others_hold(self) -> None:
        """Close the file the next handlers were filling (a temporary file is deleted on close);
        they store their current file as `file`, as Django's own parser assumes."""
        for handler in self.request.upload_handlers if self.request is not None else []:
            if handler is not self and hasattr(handler, "file"):
                handler.file.close()


class UploadField(forms.FileField):
    """A file field that refuses, with the limit in its message, a file stopped while uploading."""

    def to_python(self, data):
        if isinstance(data, TooLargeUpload):
            raise forms.ValidationError(
                _(
                    "The file is %(size)s; files over %(limit)s are not accepted. Make it smaller "
                    "(compress it, or split it into several files) and upload it again."
                )
                % {"size": filesizeformat(data.size), "limit": filesizeformat(max_bytes())},
                code="too_large",
            )
        return super().to_python(data)
