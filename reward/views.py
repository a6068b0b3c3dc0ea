"""What the judge sees of a rendered component: screenshots at given widths, its visible text, its accessibility tree.

The interface the judge needs from the render tier is `render_views(codes, options, widths, text) -> [View | None]`
(None: the machinery failed, not the component). Phase 1, below, takes what the current render tier offers without
changing it: one full-page screenshot from its screenshot page (Tailwind loaded), which is `PHASE1_WIDTH` px wide
whatever width is asked for.

PHASE 2 (the render page of "Render sandbox v2" provides these; until then they are missing, not faked):
  - one full-page screenshot per requested width (375 px phone, 1280 px desktop), height capped for the judge;
  - `text`: the visible text of the mounted component (innerText of the root, after interactions settle);
  - `a11y_tree`: its accessibility tree (e.g. Playwright's `locator('#root').ariaSnapshot()`).
"""

import asyncio
import logging
from dataclasses import dataclass, field

from reward.render import RenderOptions, pool

logger = logging.getLogger(__name__)

WIDTHS = (375, 1280)  # phone and desktop: what the judge asks for
PHASE1_WIDTH = 1024  # the width of the current render tier's screenshot page
WIDTH_NAMES = {375: "phone", 1024: "laptop", 1280: "desktop"}


@dataclass
class View:
    screenshots: dict[int, bytes] = field(default_factory=dict)  # width in px -> PNG
    text: str | None = None  # visible text; None: not available (phase 1)
    a11y_tree: str | None = None  # accessibility tree; None: not available (phase 1)


async def render_views(
    codes: list[str], options: RenderOptions | None = None, widths: tuple[int, ...] = WIDTHS, text: bool = False
) -> list[View | None]:
    """A View per code. Phase 1: `text` gives nothing yet, and `widths` gives one screenshot at PHASE1_WIDTH."""
    if not widths:
        return [View() for _ in codes]  # text mode in phase 1: nothing to render
    futures = [asyncio.wrap_future(pool(options).submit(code, screenshot=True)) for code in codes]
    results = await asyncio.gather(*futures, return_exceptions=True)
    views = []
    for r in results:
        if isinstance(r, BaseException) or r is None or not r.screenshot:
            # It rendered cleanly moments ago (the judge only asks for those), so this is the machinery or a flaky page.
            logger.warning("no screenshot for the judge: %s", r if isinstance(r, BaseException) else "render failed")
            views.append(None)
        else:
            views.append(View(screenshots={PHASE1_WIDTH: r.screenshot}))
    return views
