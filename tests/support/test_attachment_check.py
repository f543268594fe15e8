"""Each rule of the upload check, on one file at a time: what is kept, what is refused and how."""

from __future__ import annotations

import io

import av
import pytest
from django import forms
from PIL import Image

from support.attachments import MAX_IMAGE_BYTES, MAX_VIDEO_BYTES, attachment_check, display_name
from tests.support.helpers import jpeg_bytes, upload, video_bytes

EXIF_ORIENTATION = 0x0112


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(forms.ValidationError) as refused:
        attachment_check(upload(name, content))
    return refused.value.messages[0]


def stored_image(checked) -> Image.Image:
    return Image.open(io.BytesIO(checked.content.read()))


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("../../shop front.jpg", "shop front.jpg"),
        ("C:\\fakepath\\screen.jpg", "screen.jpg"),
        ("\u202egpj.exe", "gpj.exe"),
        ("  spaced.jpg  ", "spaced.jpg"),
        ("folder/", "file"),
        (None, "file"),
        ("x" * 300 + ".jpg", "x" * 200),
    ],
)
def test_support_sees_the_last_printable_part_of_the_file_name_at_most_200_long(sent, shown):
    assert display_name(sent) == shown


def test_an_empty_file_is_refused_by_its_name():
    assert refusal("empty.jpg", b"") == (
        "empty.jpg is not a photo or video we can open. Please send photos as JPEG, PNG, WebP "
        "or HEIC and videos as MP4, MOV or WebM."
    )


def test_a_photo_of_exactly_10_mb_is_kept_and_one_byte_more_is_refused():
    photo = jpeg_bytes()
    # Bytes after the picture's end: the same photo, as large as wanted.
    exactly = photo + b"\x00" * (MAX_IMAGE_BYTES - len(photo))

    assert attachment_check(upload("big.jpg", exactly)).kind == "image"
    assert refusal("bigger.jpg", exactly + b"\x00") == (
        "bigger.jpg is 10.0\xa0MB; photos can be up to 10 MB and videos up to 50 MB."
    )


def test_a_file_over_50_mb_is_refused_as_too_large_before_it_is_opened():
    message = refusal("long.mp4", b"\x00" * (MAX_VIDEO_BYTES + 1))

    assert message == "long.mp4 is 50.0\xa0MB; photos can be up to 10 MB and videos up to 50 MB."


def test_a_picture_bigger_than_any_phone_photo_is_refused_not_decoded():
    # 64 million pixels of one colour: a few kilobytes that would take 64 MB to open.
    out = io.BytesIO()
    Image.new("L", (8000, 8000)).save(out, "PNG")

    assert "bomb.png is not a photo or video we can open" in refusal("bomb.png", out.getvalue())


def test_a_gif_is_not_one_of_the_photo_formats_we_take():
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (0, 200, 0)).save(out, "GIF")

    assert "anim.gif is not a photo or video" in refusal("anim.gif", out.getvalue())


def test_a_photo_taken_sideways_is_stored_upright_and_no_larger_than_3000_pixels():
    image = Image.new("RGB", (4000, 1000), (10, 20, 30))
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6  # the phone was held on its side
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())

    checked = attachment_check(upload("sideways.jpg", out.getvalue()))

    picture = checked.content.read()
    stored = Image.open(io.BytesIO(picture))
    assert (checked.content_type, checked.extension, stored.format) == ("image/jpeg", "jpg", "JPEG")
    assert stored.size == (750, 3000)
    assert checked.size == len(picture)
    thumbnail = Image.open(io.BytesIO(checked.thumbnail.read()))
    assert (thumbnail.format, thumbnail.size) == ("JPEG", (80, 320))


@pytest.mark.parametrize("mode", ["LA", "P"])
def test_a_screenshot_with_transparency_stays_a_png(mode):
    image = Image.new(mode, (60, 30))
    if mode == "P":
        image.info["transparency"] = 0
    out = io.BytesIO()
    image.save(out, "PNG")

    checked = attachment_check(upload("screenshot.png", out.getvalue()))

    assert (checked.content_type, checked.extension) == ("image/png", "png")
    assert stored_image(checked).mode == "RGBA"


def test_a_sound_recording_in_a_video_container_is_refused():
    out = io.BytesIO()
    with av.open(out, mode="w", format="mp4") as recording:
        stream = recording.add_stream("aac", rate=8000)
        for packet in stream.encode(None):
            recording.mux(packet)

    assert "voice.mp4 is not a photo or video" in refusal("voice.mp4", out.getvalue())


def test_a_video_is_kept_as_sent_from_its_first_byte():
    sent = video_bytes("mp4")
    video = upload("clip.mp4", sent)

    checked = attachment_check(video)

    assert (checked.kind, checked.extension, checked.size) == ("video", "mp4", len(sent))
    assert checked.content.read() == sent


def test_a_file_of_exactly_50_mb_is_opened_and_judged_by_its_content():
    message = refusal("long.mp4", b"\x00" * MAX_VIDEO_BYTES)

    assert "long.mp4 is not a photo or video we can open" in message


def test_a_photo_of_exactly_50_million_pixels_is_kept():
    out = io.BytesIO()
    Image.new("L", (10_000, 5_000)).save(out, "PNG")

    checked = attachment_check(upload("panorama.png", out.getvalue()))

    assert stored_image(checked).size == (3000, 1500)


def test_a_palette_picture_without_transparency_is_stored_as_a_jpeg():
    out = io.BytesIO()
    Image.new("RGB", (60, 30), (200, 0, 0)).convert("P").save(out, "PNG")

    checked = attachment_check(upload("icon.png", out.getvalue()))

    assert (checked.content_type, stored_image(checked).mode) == ("image/jpeg", "RGB")


def test_photos_are_stored_at_jpeg_quality_85_so_small_screen_text_stays_readable():
    checked = attachment_check(upload("screen.jpg", jpeg_bytes()))

    reference = io.BytesIO()
    Image.new("RGB", (8, 8)).save(reference, "JPEG", quality=85)
    assert stored_image(checked).quantization == Image.open(reference).quantization


def test_a_matroska_video_that_is_not_webm_is_refused():
    out = io.BytesIO()
    with av.open(out, mode="w", format="matroska") as video:
        stream = video.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        frame = av.VideoFrame.from_image(Image.new("RGB", (64, 48)))
        for packet in [*stream.encode(frame), *stream.encode()]:
            video.mux(packet)

    assert "clip.mkv is not a photo or video" in refusal("clip.mkv", out.getvalue())
