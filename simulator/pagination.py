"""GitHub-style page selection (`page`, `per_page`) and the `Link` header."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class PageRequest:
    page: int
    per_page: int

    @classmethod
    def from_args(cls, args: MultiDict, default: int = DEFAULT_PER_PAGE,
                  maximum: int = MAX_PER_PAGE) -> PageRequest:
        """Like GitHub: bad or missing values fall back to the defaults; per_page is capped."""
        page = _positive_int(args.get("page"), 1)
        per_page = min(_positive_int(args.get("per_page"), default), maximum)
        return cls(page, per_page)

    def slice(self, items: list) -> list:
        start = (self.page - 1) * self.per_page
        return items[start : start + self.per_page]

    def last_page(self, total: int) -> int:
        return max(1, -(-total // self.per_page))


def _positive_int(raw: str | None, default: int) -> int:
    try:
        value = int(raw) if raw is not None else default
    except ValueError:
        return default
    return value if value > 0 else default


def link_header(url: str, args: MultiDict, request: PageRequest, total: int) -> str | None:
    """`<url?...&page=N>; rel="next", ...` in GitHub's order (prev, next, last, first)."""
    last = request.last_page(total)
    if last <= 1:
        return None
    other = [(k, v) for k, v in args.items(multi=True) if k not in ("page", "per_page")]

    def page_url(page: int) -> str:
        return f"{url}?{urlencode([*other, ('per_page', request.per_page), ('page', page)])}"

    links = []
    if request.page > 1:
        links.append(f'<{page_url(min(request.page - 1, last))}>; rel="prev"')
    if request.page < last:
        links.append(f'<{page_url(request.page + 1)}>; rel="next"')
        links.append(f'<{page_url(last)}>; rel="last"')
    if request.page > 1:
        links.append(f'<{page_url(1)}>; rel="first"')
    return ", ".join(links)
