"""What a merchant's upload really is, decided from its content by real decoders.

A photo is opened and re-encoded with Pillow: what is stored is a fresh JPEG or PNG that
Pillow wrote itself (no EXIF, so no shop location; nothing a browser could take for a page or
a script). A video is opened with FFmpeg's demuxers (PyAV) and must be a real MP4, MOV or
WebM with a picture in it; it is only ever served as a download. The browser's file name and
declared type are never believed.
"""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass

import av
from django import forms
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_VIDEO_BYTES = 50 * 1024 * 1024
MAX_FILES = 5
# Beyond this a "photo" is a decompression bomb, not a picture of a terminal (a 12 MP phone
# photo has 12 million pixels).
MAX_IMAGE_PIXELS = 50_000_000
# Stored photos are scaled down to this longest side; the thumbnail in the admin to the other.
STORED_IMAGE_SIDE = 3000
THUMBNAIL_SIDE = 320
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF"}
VIDEO_TYPES = {"mp4": "video/mp4", "mov": "video/quicktime", "webm": "video/webm"}

NOT_A_PHOTO_OR_VIDEO = _(
    "%(name)s is not a photo or video we can open. Please send photos as JPEG, PNG, WebP or "
    "HEIC and videos as MP4, MOV or WebM."
)
TOO_LARGE = _("%(name)s is %(size)s; photos can be up to 10 MB and videos up to 50 MB.")


@dataclass(frozen=True)
class CheckedFile:
    """An upload as it will be stored: its kind and type are the server's, not the browser's."""

    original_name: str
    kind: str  # "image" or "video"
    content_type: str
    extension: str
    content: File
    size: int
    thumbnail: ContentFile | None = None


def stored_name(extension: str) -> str:
    """A random name: nothing the merchant chose reaches the disk or the address bar."""
    return f"{secrets.token_hex(16)}.{extension}"


def display_name(name: str | None) -> str:
    """The merchant's file name as shown to support: its last part, printable, short."""
    last = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    printable = "".join(char for char in last if char.isprintable()).strip()
    return printable[:200] or "file"


def attachment_check(upload: UploadedFile) -> CheckedFile:
    """The stored form of one upload; raises ValidationError in words a merchant understands."""
    name = display_name(upload.name)
    size = upload.size or 0
    if size == 0:
        raise _refused(name)
    if size > MAX_VIDEO_BYTES:
        raise forms.ValidationError(TOO_LARGE % {"name": name, "size": filesizeformat(size)})
    image = opened_image(upload)
    if image is not None:
        if size > MAX_IMAGE_BYTES:
            raise forms.ValidationError(TOO_LARGE % {"name": name, "size": filesizeformat(size)})
        return _reencoded_image(image, name)
    extension = _video_extension(upload)
    if extension is None:
        raise _refused(name)
    upload.seek(0)
    return CheckedFile(
        original_name=name,
        kind="video",
        content_type=VIDEO_TYPES[extension],
        extension=extension,
        content=upload,
        size=size,
    )


def _refused(name: str) -> forms.ValidationError:
    return forms.ValidationError(NOT_A_PHOTO_OR_VIDEO % {"name": name})


def opened_image(upload: File, *, draft_side: int | None = None) -> Image.Image | None:
    """The decoded picture, or None when the file is no photo Pillow can fully decode.

    ``draft_side``: a JPEG may be decoded at a reduced scale no smaller than this square
    (much faster), for a reader that scales the picture down anyway (photo search).
    """
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in IMAGE_FORMATS:
                return None
            if image.width * image.height > MAX_IMAGE_PIXELS:
                return None
            if draft_side is not None:
                image.draft("RGB", (draft_side, draft_side))
            image.load()
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
    ):
        return None
    return image


def _reencoded_image(image: Image.Image, name: str) -> CheckedFile:
    # The camera's orientation is applied to the pixels before its EXIF is left behind.
    image = ImageOps.exif_transpose(image)
    image.thumbnail((STORED_IMAGE_SIDE, STORED_IMAGE_SIDE))
    transparent = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
    if transparent:
        picture, content_type, extension = (
            _encoded(image.convert("RGBA"), "PNG"),
            "image/png",
            "png",
        )
    else:
        picture, content_type, extension = (
            _encoded(image.convert("RGB"), "JPEG"),
            "image/jpeg",
            "jpg",
        )
    small = image.convert("RGB")
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    return CheckedFile(
        original_name=name,
        kind="image",
        content_type=content_type,
        extension=extension,
        content=ContentFile(picture),
        size=len(picture),
        thumbnail=ContentFile(_encoded(small, "JPEG")),
    )


def _encoded(image: Image.Image, image_format: str) -> bytes:
    out = io.BytesIO()
    if image_format == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True)
    else:
        image.save(out, image_format, optimize=True)
    return out.getvalue()


def _video_extension(upload: UploadedFile) -> str | None:
    """ "mp4", "mov" or "webm" for a real container with a decodable picture; None otherwise."""
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    if head[4:8] == b"ftyp":
        extension = "mov" if head[8:12] == b"qt  " else "mp4"
        demuxer = "mov,mp4,m4a,3gp,3g2,mj2"
    elif head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head:
        extension, demuxer = "webm", "matroska,webm"
    else:
        return None
    try:
        with av.open(upload, mode="r") as container:
            if container.format.name != demuxer or not container.streams.video:
                return None
            # One decoded frame: a real video, not a header in front of something else.
            next(container.decode(video=0))
    except (av.FFmpegError, StopIteration, OSError, ValueError, UnicodeDecodeError):
        return None
    finally:
        upload.seek(0)
    return extension


def checked_file_store(attachment, checked: CheckedFile) -> None:
    """Fill an attachment row (a ``support.models.StoredAttachment``) from a checked file and
    write the file and its thumbnail under random names; the caller saves the row."""
    attachment.original_name = checked.original_name
    attachment.kind = checked.kind
    attachment.content_type = checked.content_type
    attachment.size = checked.size
    attachment.is_reencoded = checked.kind == "image"
    attachment.file.save(stored_name(checked.extension), checked.content, save=False)
    if checked.thumbnail is not None:
        attachment.thumbnail.save(stored_name("jpg"), checked.thumbnail, save=False)


def stored_files_delete(attachments: list) -> None:
    """Remove the files of attachment rows that were rolled back, so none stays unowned."""
    for attachment in attachments:
        for stored_file in (attachment.file, attachment.thumbnail):
            if stored_file:
                stored_file.delete(save=False)


def attachment_response(attachment, *, thumbnail: bool = False) -> FileResponse:
    """A stored photo or video as something no browser can run.

    A fixed type the server derived, no sniffing, a sandbox without any source, never stored
    by a cache, and downloaded unless it is a picture Pillow re-encoded.
    """
    if thumbnail:
        if not attachment.thumbnail:
            raise Http404
        stored, content_type = attachment.thumbnail, "image/jpeg"
    else:
        stored, content_type = attachment.file, attachment.content_type
    inline = attachment.is_reencoded
    response = FileResponse(
        stored.open("rb"),
        as_attachment=not inline,
        filename=attachment.original_name,
        content_type=content_type if inline else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


def staff_attachment_view(model):
    """The view through which staff holding the model's view permission open its files."""
    permission = f"{model._meta.app_label}.view_{model._meta.model_name}"

    @staff_member_required
    @require_GET
    def view(request: HttpRequest, pk: int, thumbnail: bool = False) -> FileResponse:
        if not request.user.has_perm(permission):
            raise PermissionDenied
        return attachment_response(get_object_or_404(model, pk=pk), thumbnail=thumbnail)

    return view
