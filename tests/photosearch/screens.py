"""Phone photos of a terminal's screen, made by code: the test set of the photo search.

Each message is drawn on a terminal-like screen (bezel, warning icon, the words wrapped over
lines as a small screen wraps them, an OK button), then photographed badly: at an angle
(perspective), out of focus (blur), with a lamp's reflection (glare), in dim light (low
contrast), with the sensor's grain, and saved as a phone saves it (JPEG). Every choice comes
from a seeded random generator, so the same seed makes the same photo on every machine.
"""

from __future__ import annotations

import io
import random
import textwrap

from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter, ImageFont

SCREEN_SIZE = (360, 480)
PHOTO_SIZE = (2000, 1500)
PHONE_PHOTO_SIZE = (4000, 3000)  # 12 MP, as a phone takes it


def screen_image(text: str, *, seed: int) -> Image.Image:
    """The terminal as it stands on the counter: dark bezel, white screen, the message."""
    rng = random.Random(seed)
    width, height = SCREEN_SIZE
    terminal = Image.new("RGB", (width + 60, height + 120), (31, 42, 42))
    draw = ImageDraw.Draw(terminal)
    draw.rounded_rectangle((0, 0, *terminal.size), radius=40, fill=(31, 42, 42))
    left, top = 30, 50
    draw.rectangle((left, top, left + width, top + height), fill=(255, 255, 255))
    # The status bar and the warning sign above the message.
    draw.rectangle((left, top, left + width, top + 28), fill=(60, 70, 80))
    middle = left + width // 2
    draw.ellipse((middle - 32, top + 60, middle + 32, top + 124), fill=(198, 40, 40))
    font = ImageFont.load_default(size=rng.choice([28, 30, 32, 34]))
    lines = textwrap.wrap(text, width=rng.choice([14, 16, 18, 20]))
    y = top + 150
    for line in lines:
        line_width = draw.textlength(line, font=font)
        draw.text((left + (width - line_width) / 2, y), line, font=font, fill=(28, 36, 38))
        y += int(font.size * 1.35)
    button = (left + width // 2 - 60, top + height - 70, left + width // 2 + 60, top + height - 25)
    draw.rounded_rectangle(button, radius=8, fill=(220, 226, 230))
    ok_font = ImageFont.load_default(size=24)
    draw.text((button[0] + 44, button[1] + 9), "OK", font=ok_font, fill=(28, 36, 38))
    return terminal


def photo(
    text: str, *, seed: int, size: tuple[int, int] = PHOTO_SIZE, quality: int | None = None
) -> bytes:
    """A JPEG phone photo of the terminal showing ``text``, taken badly in a seeded way."""
    rng = random.Random(seed)
    terminal = screen_image(text, seed=seed)
    width, height = size
    desk = Image.new("RGB", size, tuple(rng.randint(90, 170) for _ in range(3)))
    # Where the terminal's corners land in the photo: most of the frame, at an angle.
    span = rng.uniform(0.55, 0.75) * height
    aspect = terminal.width / terminal.height
    centre_x = width / 2 + rng.uniform(-0.1, 0.1) * width
    centre_y = height / 2 + rng.uniform(-0.05, 0.05) * height
    half_w, half_h = span * aspect / 2, span / 2
    skew = 0.08 * span

    def wobble() -> float:
        return rng.uniform(-skew, skew)

    corners = [
        (centre_x - half_w + wobble(), centre_y - half_h + wobble()),
        (centre_x + half_w + wobble(), centre_y - half_h + wobble()),
        (centre_x + half_w + wobble(), centre_y + half_h + wobble()),
        (centre_x - half_w + wobble(), centre_y + half_h + wobble()),
    ]
    source = [(0, 0), (terminal.width, 0), (terminal.width, terminal.height), (0, terminal.height)]
    coefficients = _perspective(corners, source)
    warped = terminal.transform(
        size, Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BICUBIC
    )
    mask = Image.new("L", terminal.size, 255).transform(
        size, Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BILINEAR
    )
    desk.paste(warped, (0, 0), mask)
    picture = desk.filter(ImageFilter.GaussianBlur(rng.uniform(1.0, 3.0) * width / 2000))
    picture = ImageChops.add(picture, _glare(size, (centre_x, centre_y), rng))
    picture = ImageEnhance.Contrast(picture).enhance(rng.uniform(0.45, 0.8))
    picture = ImageEnhance.Brightness(picture).enhance(rng.uniform(0.8, 1.1))
    # The sensor's grain (it is also what makes a phone's JPEG a few megabytes).
    grain = Image.effect_noise(size, rng.uniform(4, 10)).convert("RGB")
    picture = ImageChops.add(picture, grain, offset=-128)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=quality or rng.randint(35, 75))
    return out.getvalue()


def _glare(size: tuple[int, int], centre: tuple[float, float], rng: random.Random) -> Image.Image:
    """A lamp's soft reflection on the screen, near its middle."""
    width, height = size
    glare = Image.new("L", (width // 8, height // 8), 0)
    radius = rng.uniform(0.08, 0.16) * glare.width
    x = centre[0] / 8 + rng.uniform(-0.08, 0.08) * glare.width
    y = centre[1] / 8 + rng.uniform(-0.15, 0.15) * glare.height
    spot = (x - radius, y - radius, x + radius, y + radius)
    ImageDraw.Draw(glare).ellipse(spot, fill=rng.randint(60, 120))
    glare = glare.filter(ImageFilter.GaussianBlur(radius / 2))
    glare = glare.resize(size, Image.Resampling.BILINEAR)
    return Image.merge("RGB", (glare, glare, glare))


def _perspective(
    target: list[tuple[float, float]], source: list[tuple[float, float]]
) -> list[float]:
    """The eight coefficients mapping each photo point to the terminal's point (PIL's order)."""
    rows, values = [], []
    for (x, y), (u, v) in zip(target, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values.extend([u, v])
    return _solved(rows, values)


def _solved(matrix: list[list[float]], values: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (eight unknowns, no numpy needed)."""
    size = len(values)
    rows = [[*row, value] for row, value in zip(matrix, values, strict=True)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda r: abs(rows[r][column]))
        rows[column], rows[pivot] = rows[pivot], rows[column]
        for r in range(size):
            if r != column:
                factor = rows[r][column] / rows[column][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[column], strict=True)]
    return [rows[r][size] / rows[r][r] for r in range(size)]
