"""``parse_urlencoded`` gives what werkzeug's parsing (``parse_qsl``) gives, on any text."""

from __future__ import annotations

from urllib.parse import parse_qsl

from hypothesis import given
from hypothesis import strategies as st

from erlen_core.wrappers import parse_urlencoded

#: Text made mostly of the characters that matter to the format.
_fields = st.text(alphabet=st.sampled_from("ab=&+% 2F;é\x00"), max_size=40)


@given(_fields)
def test_same_as_parse_qsl(text: str) -> None:
    expected = parse_qsl(text, keep_blank_values=True, errors="werkzeug.url_quote")
    assert parse_urlencoded(text) == expected


def test_plain_fields() -> None:
    assert parse_urlencoded("a=1&&b=&c&=d&e=x+y=z") == [
        ("a", "1"),
        ("b", ""),
        ("c", ""),
        ("", "d"),
        ("e", "x y=z"),
    ]
