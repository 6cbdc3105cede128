"""Phone numbers inside right-to-left sentences keep their order."""

from __future__ import annotations

from translations.bidi import isolate_numbers, ltr

LRI, PDI = "\u2066", "\u2069"


def test_a_number_is_wrapped_in_a_left_to_right_isolate() -> None:
    assert ltr("116 123") == f"{LRI}116 123{PDI}"


def test_every_grouped_number_in_a_sentence_is_isolated_and_nothing_else_changes() -> None:
    sentence = "يمكنك أن تتصل بجمعية Samaritans مجانًا على الرقم 116 123 أو 01632 960001."
    isolated = isolate_numbers(sentence)
    assert f"{LRI}116 123{PDI}" in isolated and f"{LRI}01632 960001{PDI}" in isolated
    assert isolated.replace(LRI, "").replace(PDI, "") == sentence


def test_a_lone_number_and_a_sentence_without_numbers_are_left_alone() -> None:
    assert isolate_numbers("Press 1 now.") == "Press 1 now."
    assert isolate_numbers("Call +44 1632 960001.") == f"Call {LRI}+44 1632 960001{PDI}."
