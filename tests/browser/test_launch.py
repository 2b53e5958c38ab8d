"""Launch links of the built site: Binder, Live Code (thebe) and the repository button.

Every chapter page (a page built from ``chapters/<name>.md``) must offer a Binder link to the
repository and branch of ``_config.yml``'s ``repository`` section, opening that very file in
JupyterLab (``urlpath=lab/tree/chapters/<name>.md``), the URL ``test_lab.py`` opens; its thebe
configuration must name the same repository, branch, kernel and folder. Read from the HTML
(no browser needed).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from relulab_browser import REPO, SITE, site_problem, skip_or_fail

pytestmark = pytest.mark.browser

CONFIG = yaml.safe_load((REPO / "_config.yml").read_text())
REPOSITORY = CONFIG["repository"]
OWNER, NAME = urlsplit(REPOSITORY["url"]).path.strip("/").split("/")[:2]
BRANCH = REPOSITORY.get("branch", "main")
BOOK_PATH = (REPOSITORY.get("path_to_book") or "").strip("/")
BINDERHUB = CONFIG["launch_buttons"]["binderhub_url"].rstrip("/")
SOURCE_FOLDER = REPO / BOOK_PATH if BOOK_PATH else REPO


def _chapter_pages() -> list[str]:
    chapters = sorted(p.stem for p in (SOURCE_FOLDER / "chapters").glob("*.md"))
    return [f"chapters/{c}.html" for c in chapters if (SITE / "chapters" / f"{c}.html").is_file()] or [
        "<no built chapter>"
    ]


@pytest.fixture(scope="module")
def built():
    problem = site_problem()
    if problem:
        skip_or_fail(problem)
    return SITE


def _links(text: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', text)]


def test_repository_is_a_github_repository():
    assert urlsplit(REPOSITORY["url"]).netloc == "github.com", REPOSITORY["url"]
    assert OWNER and NAME and BRANCH


@pytest.mark.parametrize("page", _chapter_pages())
def test_binder_link_opens_this_file_in_this_repository(built, page):
    text = (built / page).read_text(encoding="utf-8")
    name = Path(page).stem
    file = "/".join(p for p in (BOOK_PATH, "chapters", f"{name}.md") if p)
    binder = [h for h in _links(text) if h.startswith(BINDERHUB + "/v2/")]
    assert binder, f"{page}: no Binder link"
    for link in binder:
        parts = urlsplit(link)
        assert parts.path == f"/v2/gh/{OWNER}/{NAME}/{BRANCH}", (
            f"{page}: Binder link names the wrong repository or branch: {link}"
        )
        assert parse_qs(parts.query).get("urlpath") == [f"lab/tree/{file}"], (
            f"{page}: Binder link opens the wrong file: {link}"
        )
    assert (REPO / file).is_file(), f"{page}: the Binder link's file {file} is not in the repository"
    assert f"{OWNER}/{NAME}" in text and f"https://github.com/{OWNER}/{NAME}" in _links(text), (
        f"{page}: no repository button"
    )


@pytest.mark.parametrize("page", _chapter_pages())
def test_thebe_configuration_names_this_repository(built, page):
    text = (built / page).read_text(encoding="utf-8")
    config = re.search(r'<script type="text/x-thebe-config">(.*?)</script>', text, re.S)
    if CONFIG["launch_buttons"].get("thebe"):
        assert config, f"{page}: Live Code is on but the page has no thebe configuration"
        body = config.group(1)
        assert re.search(rf'repo:\s*"{OWNER}/{NAME}"', body), body
        assert re.search(rf'ref:\s*"{BRANCH}"', body), body
        assert re.search(r'name:\s*"python3"', body), body
        folder = "/".join(p for p in (BOOK_PATH, "chapters") if p)
        assert re.search(rf'path:\s*"\.?/?{re.escape(folder)}"', body), body
        assert "thebe/relulab-thebe.js" in text, f"{page}: the self-hosted thebe shim is not loaded"
    else:
        assert "initThebe" not in text and not config, f"{page}: Live Code is off but the page still offers it"
