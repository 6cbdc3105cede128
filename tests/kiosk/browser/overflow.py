"""Text that does not fit: clipped by its box, spilling out of it, or past the screen's edge.

Measured in the page after layout, so it holds in every language without knowing the
words: a long Welsh or Lithuanian word in a narrow button shows up as a box whose content
is wider than the box itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page

# Every rendered text node, line by line, must lie inside each box that holds it and inside
# the viewport's width. A line's extent is its inline box: the advance widths across, and
# the line height down (the glyphs' own ascent and descent may reach past the line box in
# scripts such as Nastaliq and Gurmukhi; that is not overflow, and Chromium's scrollHeight
# counts it). The boxes are the text's block ancestors, up to the first one taken out of
# the flow (absolute, fixed) and short of <body>, which may grow below the screen: kiosk
# pages scroll down, never sideways. A box that does not show what overflows it clips the
# text; one that does lets it spill over its neighbours. Text hidden on purpose (GOV.UK's
# visually hidden text for screen readers: 1 px with a clip) is skipped. Form fields draw
# their text in their own shadow tree: a field whose text is wider than itself counts too.
MEASURE_OVERFLOW = """
() => {
  const SLACK = 1;  // sub-pixel rounding
  const viewportWidth = document.documentElement.clientWidth;
  const found = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].slice(0, 2).map(c => '.' + c).join('');
  const hiddenOnPurpose = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      const box = e.getBoundingClientRect();
      if ((style.clip !== 'auto' || style.clipPath !== 'none')
          && (box.width <= 1 || box.height <= 1)) return true;
    }
    return false;
  };
  const shown = (el) => el.checkVisibility({checkVisibilityCSS: true})
    && el.getClientRects().length > 0 && !hiddenOnPurpose(el);
  const holders = (el) => {
    const boxes = [];
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (!['inline', 'contents'].includes(style.display)) boxes.push(e);
      if (['absolute', 'fixed'].includes(style.position)) break;
    }
    return boxes;
  };
  const inside = (line, el) => {
    const outer = el.getBoundingClientRect();
    const left = outer.left + el.clientLeft, top = outer.top + el.clientTop;
    return line.left >= left - SLACK && line.right <= left + el.clientWidth + SLACK
      && line.top >= top - SLACK && line.bottom <= top + el.clientHeight + SLACK;
  };
  const report = (kind, el, text, line) => found.push({kind, element: name(el),
    text: text.trim().replace(/\\s+/g, ' ').slice(0, 60),
    line: [line.left, line.top, line.right, line.bottom].map(Math.round)});
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = texts.nextNode(); node; node = texts.nextNode()) {
    const el = node.parentElement;
    if (!node.nodeValue.trim() || !el || !shown(el)) continue;
    const style = getComputedStyle(el);
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const glyphs of range.getClientRects()) {
      if (glyphs.width === 0) continue;
      const height = style.lineHeight === 'normal' ? glyphs.height : parseFloat(style.lineHeight);
      const middle = (glyphs.top + glyphs.bottom) / 2;
      const line = {left: glyphs.left, right: glyphs.right,
        top: middle - height / 2, bottom: middle + height / 2};
      if (line.left < -SLACK || line.right > viewportWidth + SLACK) {
        report('past the edge of the screen', el, node.nodeValue, line);
        break;
      }
      const outside = holders(el).find(box => !inside(line, box));
      if (outside) {
        const clips = getComputedStyle(outside).overflow !== 'visible';
        report(clips ? 'clipped by its box' : 'spills out of its box', outside,
          node.nodeValue, line);
        break;
      }
    }
  }
  for (const field of document.querySelectorAll('input, textarea, select')) {
    if (shown(field) && field.scrollWidth > field.clientWidth + SLACK) {
      report('wider than its field', field, field.value || '', field.getBoundingClientRect());
    }
  }
  if (document.documentElement.scrollWidth > viewportWidth + SLACK) {
    report('the page scrolls sideways', document.documentElement, '',
      {left: 0, top: 0, right: document.documentElement.scrollWidth, bottom: 0});
  }
  return found;
}
"""


@dataclass(frozen=True)
class Overflow:
    kind: str
    element: str
    text: str
    line: tuple[int, int, int, int]  # left, top, right, bottom of the line (CSS px)

    def __str__(self) -> str:
        return f"{self.kind}: {self.element}, line {self.line}: {self.text!r}"


def overflowing_text(page: Page) -> list[Overflow]:
    page.evaluate("document.fonts.ready.then(() => true)")  # measure the final fonts
    return [
        Overflow(
            str(found["kind"]),
            str(found["element"]),
            str(found["text"]),
            line_box(found["line"]),
        )
        for found in page.evaluate(MEASURE_OVERFLOW)
    ]


def line_box(edges: list[float]) -> tuple[int, int, int, int]:
    left, top, right, bottom = (int(edge) for edge in edges)
    return left, top, right, bottom
