"""Model and dataset text is untrusted: control characters are made visible, never passed on.

A NUL or ESC byte in a model's answer must not reach a page raw (a browser, a terminal pager
or a PDF reader each treat them differently); each format escapes its own markup after this.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    # Unicode's control pictures (␀ ␛ ␡) for C0 and DEL; a replacement character for C1.
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def printable(text: str) -> str:
    """Return `text` with control characters (tabs and line breaks aside) shown as symbols."""
    return _CONTROL.sub(_picture, text)
