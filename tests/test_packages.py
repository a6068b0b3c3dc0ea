"""Allowed packages: the recipe's list flows into the reward's compile check and the render page, each package must be
installed where the recipe says, and anything not listed fails with the named error. The esbuild plugin and the page
modules that check exact export names and load the packages on the page (reward/js/packages.mjs) are also tested in
Node, with the real example packages from package.json (react-feather, clsx). No network."""

import asyncio
import subprocess

import pytest

from reward import RewardArguments, score
from tests.conftest import ROOT, fenced

BOTH = ["react-feather", "clsx"]

ICONS = fenced("""
import { useState } from 'react';
import { Heart } from 'react-feather';
import clsx from 'clsx';
export default function Like() {
  const [on, setOn] = useState(false);
  return <button className={clsx('btn', on && 'on')} onClick={() => setOn(!on)}><Heart /> {on ? 'Liked' : 'Like'}</button>;
}
""")


def compiles(completion: str, allowed_packages: list[str]) -> tuple[float, str]:
    args = RewardArguments(reward_funcs=["compiles"], allowed_packages=allowed_packages)
    row = score([completion], preset=args, explain=True)[0]
    return row["components"]["compiles"], row["explain"]["compiles"]


def test_plugin_and_page_modules_in_node():
    proc = subprocess.run(
        ["node", "--test", "tests/js/packages.test.mjs"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "# fail 0" in proc.stdout and "# pass 8" in proc.stdout


def test_listed_packages_compile_and_unlisted_ones_fail_by_name():
    assert compiles(ICONS, BOTH)[0] == 1.0
    # One package short: the named error says which import and what is allowed
    value, why = compiles(ICONS, ["react-feather"])
    assert value == 0.0 and "imports 'clsx', which is not installed (allowed: react, react-dom, react-feather)" in why
    # The default (no list): only React, as before
    assert compiles(ICONS, [])[0] == 0.0


def test_a_listed_package_renders_in_chromium_and_its_controls_work():
    # The page loads the package modules: the icon is drawn, clsx runs, the button changes what a user sees.
    args = RewardArguments(
        reward_funcs=["renders", "runtime_clean", "interaction_effective"],
        allowed_packages=BOTH,
        render_workers=1,
        render_pages=2,
    )
    row = score([ICONS], preset=args, explain=True)[0]
    assert row["components"] == {"renders": 1.0, "runtime_clean": 1.0, "interaction_effective": 1.0}, row["explain"]
    # A name the package does not export fails at compile time, by name; nothing reaches the browser
    wrong = score([ICONS.replace("Heart", "Hearts")], preset=args, explain=True)[0]
    assert wrong["components"]["renders"] == 0.0 and "gated: does not parse and compile" in wrong["explain"]["renders"]
    assert "Hearts" in compiles(ICONS.replace("Heart", "Hearts"), BOTH)[1]


def test_a_listed_package_must_be_installed(tmp_path):
    with pytest.raises(ValueError, match="'left-pad' is not installed in .*npm install left-pad"):
        RewardArguments(allowed_packages=["left-pad"])
    # ... in the folder the recipe names, not anywhere
    with pytest.raises(ValueError, match="not installed in"):
        RewardArguments(allowed_packages=["clsx"], packages_dir=str(tmp_path))
    (tmp_path / "clsx").mkdir()
    (tmp_path / "clsx" / "package.json").write_text('{"name": "clsx"}')
    assert RewardArguments(allowed_packages=["clsx"], packages_dir=str(tmp_path)).allowed_imports()[-1] == "clsx"


@pytest.mark.parametrize("bad", ["./Button", "/abs/path", "pkg/"])
def test_a_listed_package_must_be_a_package_name(bad):
    with pytest.raises(ValueError, match="not an npm package name"):
        RewardArguments(allowed_packages=[bad])


def test_the_example_teams_components_render_with_their_packages():
    # Acme's self-contained components (data/codebase_example) import react-feather and clsx in their own ways
    # (named icons, default clsx, icon props): each compiles against the real packages and renders cleanly.
    src = ROOT / "data" / "codebase_example" / "src"
    names = ["forms/RatingForm", "marketing/FeatureGrid", "media/MusicPlayer", "notifications/InboxBell"]
    names.append("settings/SettingsToggles")
    codes = [fenced((src / f"{name}.tsx").read_text()) for name in names]
    assert all(any(p in c for p in BOTH) for c in codes)
    args = RewardArguments(
        reward_funcs=["compiles", "renders"], allowed_packages=BOTH, render_workers=1, render_pages=2
    )
    rows = score(codes, preset=args, explain=True)
    assert [r["components"] for r in rows] == [{"compiles": 1.0, "renders": 1.0}] * 5, [r["explain"] for r in rows]


def test_the_judge_sees_a_page_that_imports_a_listed_package():
    # The judge's views (screenshots per width, text, accessibility tree) come from a render of its own: it must load
    # the same packages as the other components' render, or every such completion would go unjudged (None).
    from reward.extract import extract_code
    from reward.views import render_views

    args = RewardArguments(allowed_packages=BOTH, render_workers=1, render_pages=1)
    code = extract_code(ICONS).code
    (view,) = asyncio.run(
        render_views([code], args.render_options(), text=True, allowed=args.allowed_imports(),
                     packages_dir=args.packages_path())
    )  # fmt: skip
    assert view is not None and "Like" in view.text
    assert sorted(view.screenshots) == sorted(args.render_options().widths)
