"""Template HTML made safe with nh3 (the Ammonia sanitizer): what a letter, a checklist or
a standard text needs (headings, paragraphs, lists, tables, links with safe schemes,
inline formatting, embedded pictures), and nothing that runs or reaches out: no script,
no event handler, no frame or form, no style sheet, no style property that loads a URL,
no picture from another server (a tracking pixel), no `javascript:` or `data:` link."""

from __future__ import annotations

import html as html_lib
import re

import nh3

# Characters, not bytes: a long letter with a logo embedded fits well within it.
MAX_HTML = 1_000_000

TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "span", "blockquote", "pre",
    "code", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "th",
    "td", "caption", "colgroup", "col", "a", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "small", "mark", "abbr", "img", "figure", "figcaption", "address",
}
# Removed with everything inside them (the others lose the tag and keep their text).
DROPPED_WITH_CONTENT = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "noscript",
    "template", "svg", "math", "textarea", "select", "title", "head", "applet", "noembed",
    "noframes", "xmp",
}
ATTRIBUTES = {
    "*": {"title", "lang", "dir", "style"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align", "valign"},
    "th": {"colspan", "rowspan", "align", "valign", "scope"},
    "ol": {"start", "type"},
    "col": {"span", "width"},
    "colgroup": {"span"},
    "table": {"width"},
    "abbr": set(),
}
URL_SCHEMES = {"http", "https", "mailto", "tel", "data"}  # data: for embedded pictures only
# Layout and type only: none of these can load anything (url() needs background, list-
# style-image, border-image, content, cursor, mask or a font face, all left out).
STYLE_PROPERTIES = {
    "color", "background-color", "font-weight", "font-style", "font-size", "font-family",
    "font-variant", "text-align", "text-decoration", "text-indent", "text-transform",
    "letter-spacing", "line-height", "vertical-align", "white-space", "width", "height",
    "min-width", "max-width", "margin", "margin-top", "margin-right", "margin-bottom",
    "margin-left", "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
    "border", "border-top", "border-right", "border-bottom", "border-left", "border-color",
    "border-style", "border-width", "border-collapse", "border-spacing", "list-style-type",
    "page-break-before", "page-break-after", "break-before", "break-after",
}
_BLOCK = re.compile(r"<(/?(?:p|div|li|td|th|tr|h[1-6]|br|hr|dt|dd|blockquote|pre|caption|"
                    r"address|figcaption|table|ul|ol)\b)", re.I)
EMBEDDED_PICTURE = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[a-z0-9+/=\s]+", re.I)


def _attribute(tag: str, name: str, value: str) -> str | None:
    """Links go to the web, mail or phone; pictures are embedded ones only."""
    lowered = value.strip().lower()
    if name == "src" and tag == "img":
        return value if EMBEDDED_PICTURE.fullmatch(value.strip()) else None
    if name == "href" and lowered.startswith("data:"):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes=ATTRIBUTES,
    attribute_filter=_attribute,
    url_schemes=URL_SCHEMES,
    filter_style_properties=STYLE_PROPERTIES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)
_TEXT_ONLY = nh3.Cleaner(tags=set(), clean_content_tags=DROPPED_WITH_CONTENT)


class TooLarge(ValueError):
    """More HTML than a template may hold (MAX_HTML characters)."""


def sanitize(html: str) -> str:
    """The HTML as it may be stored and shown. Raises TooLarge past MAX_HTML."""
    if len(html) > MAX_HTML:
        raise TooLarge(f"{len(html)} characters")
    return _CLEANER.clean(html)


def plain_text(html: str) -> str:
    """The words of (sanitised) HTML, one space between them, for search."""
    spaced = _BLOCK.sub(r" <\1", html)  # "<li>a</li><li>b</li>" reads "a b", not "ab"
    return " ".join(html_lib.unescape(_TEXT_ONLY.clean(spaced)).split())
