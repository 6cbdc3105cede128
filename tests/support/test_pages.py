"""The page reader the tests use: each helper finds what it says and fails where it should."""

from __future__ import annotations

import pytest

from tests.support.pages import TimelineEntry, assert_nowhere_on, parse_html

TIMELINE = """
<div class="moj-timeline" id="case-timeline">
  <div class="moj-timeline__item">
    <div class="moj-timeline__header">
      <h3 class="moj-timeline__title">On-call alert sent</h3>
      <p class="moj-timeline__byline">system</p>
    </div>
    <p class="moj-timeline__date"><time datetime="2026-11-28T09:00:00">28 Nov 2026, 09:00</time></p>
    <div class="moj-timeline__description"><p class="govuk-body">Step 1: Lena Lead was
      alerted.</p></div>
  </div>
  <div class="moj-timeline__item">
    <div class="moj-timeline__header">
      <h3 class="moj-timeline__title">Report received</h3>
      <p class="moj-timeline__byline">The reporter</p>
    </div>
    <p class="moj-timeline__date"><time>28 Nov 2026, 08:59</time></p>
  </div>
</div>
"""

REFUSED = """
<div class="govuk-error-summary"><ul>
  <li><a href="#code">The code is not right.</a></li>
  <li><a href="#actions">This form was already used.</a></li>
</ul></div>
<p id="code-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span>
  {beside}</p><input id="code" name="code"><div id="actions"></div>
"""


def test_the_timeline_reads_as_entries_newest_first() -> None:
    assert parse_html(TIMELINE).timeline() == [
        TimelineEntry(
            title="On-call alert sent",
            actor="system",
            when="28 Nov 2026, 09:00",
            description="Step 1: Lena Lead was alerted.",
        ),
        TimelineEntry("Report received", "The reporter", "28 Nov 2026, 08:59", ""),
    ]


@pytest.mark.parametrize(
    "html",
    [
        "<p>Your code is 1234 5678</p>",  # in the words
        '<input type="hidden" name="code" value="1234 5678">',  # in an attribute only
        "<script>const code = '1234 5678';</script>",  # in a script
        "<!-- 1234 5678 -->",  # in a comment
    ],
)
def test_a_secret_is_found_anywhere_on_the_page(html: str) -> None:
    with pytest.raises(AssertionError):
        assert_nowhere_on(parse_html(html), "1234 5678")


def test_a_secret_is_found_as_the_html_escapes_it() -> None:
    page = parse_html('<a href="/x" title="Tom &amp; &quot;Jerry&quot;">a link</a>')
    with pytest.raises(AssertionError):
        assert_nowhere_on(page, 'Tom & "Jerry"')


def test_a_secret_not_on_the_page_passes_and_an_empty_one_is_refused() -> None:
    page = parse_html("<p>Your report has been sent.</p>")
    assert_nowhere_on(page, "1234 5678")
    with pytest.raises(AssertionError):
        assert_nowhere_on(page, " ")


def test_problems_are_the_summary_checked_against_the_message_by_the_field() -> None:
    page = parse_html(REFUSED.format(beside="The code is not right."))
    assert page.problems() == {
        "code": "The code is not right.",
        "actions": "This form was already used.",
    }
    disagreeing = parse_html(REFUSED.format(beside="Something else."))
    with pytest.raises(AssertionError):
        disagreeing.problems()
    leading_nowhere = REFUSED.format(beside="The code is not right.")
    with pytest.raises(AssertionError, match="#actions"):
        parse_html(leading_nowhere.replace('<div id="actions"></div>', "")).problems()


def test_warnings_radios_lists_and_tabs_read_as_a_person_reads_them() -> None:
    page = parse_html(
        """
        <div class="govuk-warning-text" id="w"><span class="govuk-warning-text__icon">!</span>
          <strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning
          </span>Offered, but not reviewed: Cymraeg (Welsh).</strong></div>
        <fieldset id="danger"><legend>Is anyone in danger now?</legend>
          <input type="radio" name="danger" id="danger-yes" value="yes">
          <label for="danger-yes">Yes</label>
          <input type="radio" name="danger" id="danger-no" value="no">
          <label for="danger-no">No</label></fieldset>
        <h3>Voice messages</h3><ul><li>Voice message 1 is not available yet.</li></ul>
        <nav class="moj-sub-navigation"><a class="moj-sub-navigation__link">New (2)</a></nav>
        """
    )
    assert page.warnings() == ["Offered, but not reviewed: Cymraeg (Welsh)."]
    assert page.warning("w") == "Offered, but not reviewed: Cymraeg (Welsh)."
    assert page.legend("danger") == "Is anyone in danger now?"
    assert page.choices("danger") == {"yes": "Yes", "no": "No"}
    said = [item.text for item in page.list_under("Voice messages")]
    assert said == ["Voice message 1 is not available yet."]
    assert page.tabs() == ["New (2)"]
    with pytest.raises(AssertionError):
        page.list_under("Recordings")
