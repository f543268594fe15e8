"""`make bench`: photo of the screen to the fix, as a merchant's phone sends it.

12 MP JPEG photos of the "Attacked!" screen and the other messages (tests/photosearch/
screens.py makes them), posted one at a time to the running portal's photo search; the time
from sending the photo to the page with the fix, p50 and p95. Target: p95 at most 1.5 s.

Run alone against a portal that serves the bundled content:
``python bench/photo.py http://127.0.0.1:8000``.
"""

from __future__ import annotations

import secrets
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.photosearch.screens import PHONE_PHOTO_SIZE, photo  # noqa: E402

TARGET_P95_MS = 1500.0
MESSAGES = [
    "Attacked! Please contact your service provider",
    "1000 card declined",
    "Use a different interface",
]


def _posted(base: str, content: bytes) -> tuple[int, bytes]:
    boundary = secrets.token_hex(16)
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="IMG.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"{base}/photo/",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.read()


def photo_latency(base: str, count: int = 20) -> dict[str, float]:
    """Photo-to-fix latency over ``count`` posts (fewer than the per-client hourly limit)."""
    photos = [
        photo(text, seed=seed, size=PHONE_PHOTO_SIZE, quality=88)
        for seed, text in enumerate(MESSAGES)
    ]
    timings, found = [], 0
    for number in range(count):
        started = time.perf_counter()
        status, page = _posted(base, photos[number % len(photos)])
        timings.append((time.perf_counter() - started) * 1000)
        found += status == 200 and b'class="card photo-fix"' in page
    timings.sort()
    return {
        "photos": count,
        "photo_mb": round(sum(map(len, photos)) / len(photos) / 1e6, 1),
        "fix_found": found,
        "p50_ms": timings[len(timings) // 2],
        "p95_ms": timings[max(0, int(len(timings) * 0.95) - 1)],
    }


def photo_line(result: dict[str, float]) -> str:
    verdict = "ok" if result["p95_ms"] <= TARGET_P95_MS else "OVER TARGET"
    return (
        f"photo of the screen to the fix ({result['photos']} photos of 12 MP, "
        f"{result['photo_mb']} MB, one client): p50 {result['p50_ms']:.0f} ms, "
        f"p95 {result['p95_ms']:.0f} ms (target {TARGET_P95_MS:.0f} ms: {verdict}); "
        f"fix found {result['fix_found']}/{result['photos']}"
    )


if __name__ == "__main__":
    print(photo_line(photo_latency(sys.argv[1].rstrip("/"))))
