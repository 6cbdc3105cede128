"""Hostile input for the property tests: random fields, odd text, raw bytes, huge bodies.

A form is a list of (name, value) pairs so that fields can repeat or be missing; values are
bytes so that a body can hold what a browser never sends (NUL, invalid UTF-8, encoded
surrogates). ``encode`` turns a form into an urlencoded body by hand, as an attacker would.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

Form = list[tuple[str, bytes]]

# Right-to-left and other invisible marks people paste or type by accident (or on purpose).
MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u200b"
DIGITS_OF_OTHER_SCRIPTS = "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९²³¹½⑧"

_texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=MARKS + "abc أبت ", max_size=30),
    st.text(alphabet=DIGITS_OF_OTHER_SCRIPTS + "0123456789 -.", max_size=30),
    st.sampled_from(["", " ", "\x00", "0" * 40, "-1", "1e9", "NaN", "<script>", "%00", "../"]),
)
_raw = st.one_of(
    st.binary(max_size=40),
    # An encoded lone surrogate: what a broken client or a fuzzer sends as "UTF-8".
    st.just("\ud800x".encode("utf-8", "surrogatepass")),
    st.just(b"\xff\xfe\x00"),
)
_huge = st.integers(min_value=5_000, max_value=300_000).map(lambda n: b"x" * n)


def values(common: Sequence[str] = ()) -> st.SearchStrategy[bytes]:
    """A field's value: often one of ``common`` (so that valid paths are taken too),
    otherwise odd text, raw bytes or a huge string."""
    hostile = st.one_of(_texts.map(str.encode), _raw, _huge)
    if not common:
        return hostile
    return st.one_of(st.sampled_from(list(common)).map(str.encode), hostile)


def forms(fields: Mapping[str, Sequence[str]], *, max_fields: int = 6) -> st.SearchStrategy[Form]:
    """Any subset of ``fields`` (each possibly repeated), plus unknown names, in any order."""
    known = st.sampled_from(sorted(fields)).flatmap(
        lambda name: values(fields[name]).map(lambda value: (name, value))
    )
    unknown = st.tuples(st.text(min_size=1, max_size=12), values())
    return st.lists(st.one_of(known, known, unknown), max_size=max_fields)


def csrf_forms(valid: str) -> list[Form]:
    """The CSRF field: right, missing, wrong, twice, or empty. Pick one with ``CSRF_VARIANTS``
    (the token itself is only known once the page is fetched)."""
    token = valid.encode()
    return [
        [("csrf_token", token)],
        [],
        [("csrf_token", b"not-a-token")],
        [("csrf_token", token[:-2] + b"xx")],
        [("csrf_token", b"")],
        [("csrf_token", b"wrong"), ("csrf_token", token)],
    ]


# The right token half the time, so that answers are taken as often as refused.
CSRF_VARIANTS = st.one_of(st.just(0), st.integers(min_value=0, max_value=5))


def encode(form: Form) -> bytes:
    return b"&".join(
        quote_from_bytes(name.encode("utf-8", "surrogatepass")).encode()
        + b"="
        + quote_from_bytes(value).encode()
        for name, value in form
    )


FORM_TYPE = "application/x-www-form-urlencoded"
