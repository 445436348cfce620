"""What is stored about a student: nothing that names them.

E-mail addresses and phone numbers in questions and comments are replaced by ``[email]`` and
``[phone]`` before anything is written (phone numbers found by the ``phonenumbers`` library, the
port of Google's libphonenumber, which knows national formats). A client address is never
stored: a salted HMAC of it groups one client's questions without saying who they are.
"""

from __future__ import annotations

import hashlib
import hmac
import re

import phonenumbers

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
REGION = "US"  # how a number without a country code is read
MIN_PHONE_DIGITS = 7  # "2023", "$120,360" and "1,000 hours" are not phone numbers


def redact(text: str) -> str:
    """``text`` with e-mail addresses and phone numbers replaced by ``[email]`` and ``[phone]``."""
    text = EMAIL.sub("[email]", text)
    spans = [
        (m.start, m.end)
        for m in phonenumbers.PhoneNumberMatcher(text, REGION, leniency=phonenumbers.Leniency.POSSIBLE)
        if sum(c.isdigit() for c in m.raw_string) >= MIN_PHONE_DIGITS and not _money(text, m.start)
    ]
    for start, end in reversed(spans):
        text = text[:start] + "[phone]" + text[end:]
    return text


def _money(text: str, start: int) -> bool:
    """Whether the number at ``start`` is an amount ("$1,250,000", "€ 95 000")."""
    before = text[max(0, start - 2) : start].strip()
    return before[-1:] in ("$", "€", "£", "¥")


def client_hash(address: str, salt: bytes) -> str:
    """A salted HMAC of a client address: the same client, the same value; the address not recoverable."""
    return hmac.new(salt, address.encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:24]
