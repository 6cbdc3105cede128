"""What a person can reach without scrolling, and what stays in reach while they scroll.

Measured in the page (one ``page.evaluate`` per screen), so it holds in every language
without knowing the words. A control is *in reach* when its whole box lies inside the
viewport and the point at its centre hits the control itself (not the top bar or a cue
drawn over it), so a tap there would press it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Page

# Scrolls the page from top to bottom in steps (and to the very end), and at each position
# finds Leave now and Listen (when shown) in reach. Then, back at the top, finds every
# choice and the form's main button (Continue, Send) in reach without scrolling.
MEASURE_REACH = """
() => {
  const root = document.documentElement;
  const inReach = (el) => {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    const inside = box.top >= -0.5 && box.left >= -0.5
      && box.bottom <= innerHeight + 0.5 && box.right <= root.clientWidth + 0.5;
    const hit = document.elementFromPoint((box.left + box.right) / 2, (box.top + box.bottom) / 2);
    // A checkbox card's input lies over its label: a tap there ticks the box.
    return inside && !!hit && (el === hit || el.contains(hit) || el.control === hit);
  };
  const shown = (el) => el.checkVisibility({checkVisibilityCSS: true});
  const name = (el) => (el.innerText || el.value || el.getAttribute('value') || el.tagName)
    .trim().replace(/\\s+/g, ' ').slice(0, 40);
  const cue = document.querySelector('[data-more-below]');
  const cueShown = !!cue && shown(cue) && cue.getBoundingClientRect().bottom <= innerHeight + 0.5;
  const content = document.getElementById('main').lastElementChild;
  const contentBelow = !!content && content.getBoundingClientRect().bottom > innerHeight + 2;
  const lost = [];
  const end = root.scrollHeight - innerHeight;
  const positions = [];
  for (let y = 0; y < end; y += 150) positions.push(y);
  positions.push(end);
  const always = [...document.querySelectorAll('[data-quick-exit], .kiosk-listen')].filter(shown);
  for (const y of positions) {
    window.scrollTo(0, y);
    for (const el of always) {
      if (!inReach(el)) lost.push({at: Math.round(scrollY), control: name(el)});
    }
  }
  window.scrollTo(0, 0);
  const wanted = [...document.querySelectorAll(
    'main .kiosk-choice, main form .kiosk-button--primary')].filter(shown);
  const belowTheFold = wanted.filter(el => !inReach(el)).map(el => ({control: name(el),
    top: Math.round(el.getBoundingClientRect().top),
    bottom: Math.round(el.getBoundingClientRect().bottom)}));
  return {exits: always.length, scrolled: end, lost, wanted: wanted.length, belowTheFold,
    cueShown, contentBelow};
}
"""


@dataclass(frozen=True)
class Reach:
    exits: int  # Leave now, and Listen when shown
    scrolled: int  # how far the page scrolls (CSS px)
    lost: list[dict[str, Any]]  # where Leave now or Listen went out of reach
    wanted: int  # choices and main buttons on the screen
    below_the_fold: list[dict[str, Any]]  # those not in reach without scrolling
    cue_shown: bool  # "There is more below" is on screen before any scrolling
    content_below: bool  # the end of what the screen shows is below its bottom edge


def reach(page: Page) -> Reach:
    page.evaluate("document.fonts.ready.then(() => true)")  # measure the final fonts
    found = page.evaluate(MEASURE_REACH)
    return Reach(
        int(found["exits"]),
        int(found["scrolled"]),
        list(found["lost"]),
        int(found["wanted"]),
        list(found["belowTheFold"]),
        bool(found["cueShown"]),
        bool(found["contentBelow"]),
    )


# A modal dialog covers the page on purpose; the quiet screen has no session, so no Leave now.
NOT_MEASURED = {"headphones", "warning", "ready"}
# Screens where every choice and the button that goes on must fit without scrolling. An
# error message, "check your answers" and the long Sent screen may go on below the fold,
# and then must say so ("There is more below").
MUST_FIT = {"start", "menu", "danger", "what", "who", "staff", "where", "when", "more"}
MUST_FIT |= {"contact", "identity", "code", "add"}
# The two buttons on "Your report": top, width and height of each, rounded.
PAIR = """() => [...document.querySelectorAll('.kiosk-actions--pair .kiosk-button')]
  .map(b => b.getBoundingClientRect()).map(r => [r.top, r.width, r.height].map(Math.round))"""


def reach_problems(screen: str, measured: Reach) -> list[str]:
    found = [f"out of reach after scrolling: {lost}" for lost in measured.lost]
    if measured.exits == 0 and screen != "start":  # the start screen has no session yet
        found.append("no Leave now")
    if screen in MUST_FIT:
        found += [f"below the fold: {below}" for below in measured.below_the_fold]
    if measured.content_below and not measured.cue_shown:
        found.append("part of the screen is below the fold and nothing says so")
    if measured.cue_shown and not measured.content_below:
        found.append("says there is more below, but nothing is")
    return found
