"""A support request as a merchant sends it, with real photos and videos made by the same
decoders the portal trusts."""

from __future__ import annotations

import io

import av
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from support.forms import SupportRequestForm

# EXIF tag 0x8825 is the GPS block: where the shop is.
GPS_IFD = 0x8825


def jpeg_bytes(*, size: tuple[int, int] = (640, 480), with_location: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    exif = Image.Exif()
    if with_location:
        exif[0x010F] = "PhoneMaker"
        exif.get_ifd(GPS_IFD)[2] = (52.0, 22.0, 12.0)  # latitude: Amsterdam
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png_bytes(*, transparent: bool = False) -> bytes:
    image = Image.new("RGBA" if transparent else "RGB", (200, 100), (0, 120, 200, 128))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def video_bytes(container: str = "mp4") -> bytes:
    codec = "libvpx" if container == "webm" else "mpeg4"
    out = io.BytesIO()
    with av.open(out, mode="w", format=container) as video:
        stream = video.add_stream(codec, rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for shade in range(5):
            frame = av.VideoFrame.from_image(Image.new("RGB", (64, 48), (shade * 40, 0, 0)))
            for packet in stream.encode(frame):
                video.mux(packet)
        for packet in stream.encode():
            video.mux(packet)
    return out.getvalue()


def polyglot_webp() -> bytes:
    """The first bytes of a WebP, then a page with a script: what a browser may sniff as HTML."""
    body = b"WEBPVP8 <html><script src=/support/attachments/2/></script></html>"
    return b"RIFF" + len(body).to_bytes(4, "little") + body


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def support_form(token: str = "", **overrides) -> dict:
    """A complete support request as posted from a freshly shown form; override any field."""
    return (
        {
            "run": token,
            "account_id": "10012345",
            "serial_number": "pb0123456789",
            "description": "Icon stays red since this morning.",
            "contact_name": "Sanne de Vries",
            "email": "sanne@bakkerij.example",
            "phone": "",
        }
        | SupportRequestForm.guard_initial()
        | overrides
    )
