"""Which files a publisher's landing page links to, and where to fetch them from.

Link discovery is a plain HTML parse of ``<a href>`` attributes (publishers' pages are
WordPress/Drupal sites whose file links are ordinary anchors), each resolved against the page
URL and matched on its file name by the source's declared pattern.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from oversight.errors import Problem, UserError
from oversight.frameworks.fetch_model import FetchSource, FetchSources


@dataclass(frozen=True)
class FileLink:
    source: str  # FetchSource id
    url: str  # as the page gives it (the publisher's URL), resolved against the page
    name: str  # file name: the URL's last path segment, percent-decoded


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag.lower() != "a":
            return
        for key, value in attrs:
            if key.lower() == "href" and value:
                self.hrefs.append(value.strip())


def page_links(html: str, page_url: str) -> list[str]:
    """Every ``<a href>`` on the page as an absolute URL, in page order, without duplicates."""
    parser = _Anchors()
    parser.feed(html)
    parser.close()
    seen: dict[str, None] = {}
    for href in parser.hrefs:
        url = urljoin(page_url, href)
        if urlsplit(url).scheme in ("http", "https"):
            seen.setdefault(urlunsplit(urlsplit(url)._replace(fragment="")), None)
    return list(seen)


def file_name(url: str) -> str:
    return unquote(PurePosixPath(urlsplit(url).path).name)


def file_links(source: FetchSource, html: str, page_url: str) -> list[FileLink]:
    """The links on the page whose file name matches the source's pattern (first ``latest``)."""
    pattern = source.link_pattern()
    found = [
        FileLink(source.id, url, file_name(url))
        for url in page_links(html, page_url)
        if file_name(url) and pattern.search(file_name(url))
    ]
    # the same file may be linked twice under different URLs (a page's summary and its list)
    unique: dict[str, FileLink] = {}
    for link in found:
        unique.setdefault(link.name, link)
    links = list(unique.values())
    return links[: source.latest] if source.latest else links


def rewrite(url: str, base_url: str | None) -> str:
    """The URL to request: the publisher's own, or under a mirror/test server as
    ``<base>/<host>/<path>`` so that files of different hosts never collide."""
    if not base_url:
        return url
    parts = urlsplit(url)
    base = base_url.rstrip("/")
    tail = parts.path if parts.path.startswith("/") else "/" + parts.path
    query = f"?{parts.query}" if parts.query else ""
    return f"{base}/{parts.netloc}{tail}{query}"


def check_base_url(base_url: str | None) -> str | None:
    if not base_url:
        return None
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UserError(
            f"--base-url {base_url!r} is not an http(s) URL",
            [Problem("give a URL such as http://127.0.0.1:8000 (a mirror of the publishers)")],
        )
    return base_url


def select(sources: FetchSources, only: list[str] | None) -> list[FetchSource]:
    """The sources to fetch: all of them, or those named (unknown names are an error)."""
    if not only:
        return list(sources.sources)
    unknown = [name for name in only if sources.source(name) is None]
    if unknown:
        known = ", ".join(s.id for s in sources.sources)
        raise UserError(
            f"Unknown publication(s): {', '.join(unknown)}",
            [Problem(f"known publications: {known} (see `oversight fetch --list`)")],
        )
    return [s for s in sources.sources if s.id in only]
