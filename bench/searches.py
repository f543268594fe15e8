"""What merchants search for during a burst: a few messages many times, and everything else.

Seven in ten searches are one of the popular ones (the message on the screen during an
outage); the rest combine three words from the content's vocabulary, so nearly every one is
new. Shared by the load generator (as a wrk script), the one-client timing and the SQLite run.
"""

from __future__ import annotations

import random
from urllib.parse import quote_plus

POPULAR = [
    "card declined",
    "Attacked! Please contact your service provider",
    "red internet icon",
    "1000 card declined",
    "no connection",
    "contactless not working",
    "printer broken",
    "tampering alarm",
    "API key",
    "activate terminal",
]
WORDS = [
    *("card", "declined", "terminal", "internet", "wifi", "printer", "battery", "contactless"),
    *("alarm", "api", "key", "activate", "logs", "cable", "screen", "update", "chip"),
    *("receipt", "restart", "network", "router", "serial", "support", "payment", "sunmi"),
    *("smartpad", "offline", "error", "broken", "blank"),
]
POPULAR_SHARE = 0.7


def query_mix(count: int, *, seed: int = 11) -> list[str]:
    chooser = random.Random(seed)
    return [
        chooser.choice(POPULAR)
        if chooser.random() < POPULAR_SHARE
        else " ".join(chooser.sample(WORDS, 3))
        for _ in range(count)
    ]


def wrk_script() -> str:
    popular = ", ".join(f'"{quote_plus(query)}"' for query in POPULAR)
    words = ", ".join(f'"{word}"' for word in WORDS)
    return f"""
local popular = {{{popular}}}
local words = {{{words}}}
math.randomseed(os.time())
function request()
  local q
  if math.random() < {POPULAR_SHARE} then
    q = popular[math.random(#popular)]
  else
    q = words[math.random(#words)] .. "+" .. words[math.random(#words)] .. "+"
      .. words[math.random(#words)]
  end
  return wrk.format("GET", "/search/?q=" .. q)
end
"""
