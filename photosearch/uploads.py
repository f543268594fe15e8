"""Photos for the photo search stay in memory: they are read once and never stored."""

from __future__ import annotations

from django.core.files.uploadhandler import MemoryFileUploadHandler


class InMemoryUploadHandler(MemoryFileUploadHandler):
    """Keeps every file of the request in memory, whatever its size.

    Django writes uploads over FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file; the view
    refuses a request larger than a photo before this handler sees it, so memory is bounded.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # noqa: N803 (Django's name)
        self.activated = True
