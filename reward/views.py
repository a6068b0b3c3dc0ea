"""What the judge sees of a rendered component: screenshots at the checked widths, its visible text, its accessibility
tree.

`render_views(codes, options, widths, text) -> [View | None]` (None: the machinery failed, not the component). The
render page provides all three from the same sandboxed frame as every other render (reward/js/checks.mjs,
`captureViews`): the frame is set to each width (`render_widths`: 375 px phone, 1280 px desktop) and captured full
page with Tailwind styling it; the text is the page's innerText; the tree is Chromium's accessibility tree of the
frame (CDP Accessibility.getFullAXTree), one `role "name"` line per node.
"""

import asyncio
import logging
from dataclasses import dataclass, field

from reward.compiler import DEFAULT_ALLOWED, compile_many
from reward.render import RenderOptions, pool

logger = logging.getLogger(__name__)

WIDTH_NAMES = {375: "phone", 1280: "desktop"}


@dataclass
class View:
    screenshots: dict[int, bytes] = field(default_factory=dict)  # width in CSS px -> PNG
    text: str | None = None  # visible text
    a11y_tree: str | None = None  # accessibility tree, one `role "name"` line per node, indented


async def render_views(
    codes: list[str],
    options: RenderOptions | None = None,
    widths: bool = True,
    text: bool = False,
    allowed: tuple[str, ...] = DEFAULT_ALLOWED,
    packages_dir: str | None = None,
) -> list[View | None]:
    """A View per source code: screenshots at `options.widths` (if `widths`) and the text and tree (if `text`).
    `allowed` / `packages_dir`: what the code may import, as it was compiled and rendered for the other components
    (compile_many's cache answers for code compiled there)."""
    if not (widths or text):
        return [View() for _ in codes]
    compiled = await asyncio.to_thread(compile_many, codes, allowed, packages_dir)
    page = pool(options, allowed, packages_dir)
    futures = [
        asyncio.wrap_future(page.submit(c.js, views=True)) if c.ok else asyncio.sleep(0, c.errors) for c in compiled
    ]
    results = await asyncio.gather(*futures, return_exceptions=True)
    views = []
    for r in results:
        if isinstance(r, BaseException) or getattr(r, "views", None) is None:
            # It rendered cleanly moments ago (the judge only asks for those), so this is the machinery or a flaky page.
            logger.warning("no view of the page for the judge: %s", r if isinstance(r, BaseException) else "no render")
            views.append(None)
            continue
        v = r.views
        views.append(
            View(
                screenshots=v["screenshots"] if widths else {},
                text=v.get("text") if text else None,
                a11y_tree=v.get("a11y_tree") if text else None,
            )
        )
    return views
