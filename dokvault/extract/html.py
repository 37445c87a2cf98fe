"""HTML: the page's main content as text, without menus, banners, footers or scripts.

The page is pruned before inscriptis lays it out: a <main> (or a single <article>)
is taken when there is one with real text in it, and navigation, asides and the
page-level header and footer are dropped, so a saved web page indexes as what it
says, not as the site's menu repeated on every page.
"""

from __future__ import annotations

from pathlib import Path

from inscriptis import Inscriptis
from inscriptis.model.config import ParserConfig
from lxml import etree
from lxml.html import HtmlElement, document_fromstring

from dokvault.extract.text import read_start
from dokvault.extract.types import Extracted, notice

# Never visible text, or never the page's own content.
DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "svg", "nav", "aside",
             "dialog")
DROP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar",
              "dialog", "alertdialog"}
# Class or id words that mark site furniture on pages that do not use the semantic tags.
DROP_HINTS = {"nav", "navbar", "navigation", "menu", "mainmenu", "main-menu", "breadcrumb",
              "breadcrumbs", "sidebar", "site-header", "site-footer", "footer", "skip-link",
              "cookie", "cookies", "cookie-banner", "cookie-consent", "share", "social"}
# A <main> or <article> with less text than this is a shell, not the content.
MIN_MAIN_CHARS = 80
# Markup read: its DOM and layout cost about 40 times its size (200 MB for 5 MB of tiny
# elements, 4 s); a longer page is read up to here and says so.
MAX_MARKUP_BYTES = 5 * 1024 * 1024
CONFIG = ParserConfig(display_links=False, display_images=False)


def _hinted(element: HtmlElement) -> bool:
    words = (element.get("class") or "").lower().split() + [(element.get("id") or "").lower()]
    return any(word in DROP_HINTS for word in words)


def _inside(element: HtmlElement, tags: tuple[str, ...]) -> bool:
    return any(ancestor.tag in tags for ancestor in element.iterancestors())


def _chrome(element: HtmlElement) -> bool:
    """Part of the site around the content rather than the content itself."""
    if element.tag in DROP_TAGS or element.get("hidden") is not None:
        return True
    if (element.get("aria-hidden") or "").lower() == "true":
        return True
    if (element.get("role") or "").lower() in DROP_ROLES:
        return True
    if element.tag in ("header", "footer") and not _inside(element, ("main", "article")):
        return True
    return element.tag not in ("html", "body", "main", "article") and _hinted(element)


def _content_root(tree: HtmlElement) -> HtmlElement:
    mains = tree.xpath("//main | //*[@role='main']")
    articles = tree.xpath("//article")
    for candidates in (mains, articles):
        if len(candidates) == 1 and len(" ".join(candidates[0].itertext()).strip()) >= MIN_MAIN_CHARS:
            return candidates[0]
    body = tree.find("body")
    return body if body is not None else tree


def html_to_text(markup: str) -> str:
    markup = markup.strip()
    if not markup:
        return ""
    if markup.startswith("<?xml"):
        markup = markup.split("?>", 1)[-1]
    try:
        tree = document_fromstring(markup)
    except (etree.ParserError, ValueError):
        tree = document_fromstring("<pre>" + markup + "</pre>")
    # Comments and processing instructions first: they have no .get() and never show.
    for node in tree.xpath("//comment() | //processing-instruction()"):
        node.drop_tree()
    for element in [e for e in tree.iter() if isinstance(e.tag, str) and _chrome(e)]:
        if element.getparent() is not None:
            element.drop_tree()  # keeps the element's tail text, which belongs to its parent
    root = _content_root(tree)
    text = Inscriptis(root, CONFIG).get_text()
    return "\n".join(line.rstrip() for line in text.splitlines()).strip()


def extract(path: Path) -> Extracted:
    markup, cut = read_start(path, MAX_MARKUP_BYTES)
    # inscriptis renders the layout as text and never runs or keeps scripts.
    result = Extracted(text=html_to_text(markup))
    if cut:
        result.notices.append(notice("notice.file_cut", mb=MAX_MARKUP_BYTES // 2**20))
    return result
