"""Forum thread pages: one Post per post block."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawlers.config import FieldSpec, RowsSpec
from crawlers.items import Item, Post
from crawlers.parsers.fields import first_text, joined, parse_bool, parse_datetime

if TYPE_CHECKING:
    from crawlers.config import Source
    from crawlers.parsers import Page


def build(kind: str, values: dict[str, Any], page: Page, source: Source) -> tuple[list[Item], list[str]]:
    if kind != "thread":
        return [], []
    thread_id = first_text(values.get("thread_id"))
    thread_title = first_text(values.get("thread_title"))
    if not thread_id or not thread_title:
        return [], ["drop/post/missing_thread"]
    posts_spec = source.pages["thread"].fields["posts"]
    date_format = (
        posts_spec.fields["posted_at"].format
        if isinstance(posts_spec, RowsSpec) and "posted_at" in posts_spec.fields
        else None
    )
    language = first_text(values.get("language")) or (source.language[0] if len(source.language) == 1 else None)
    items: list[Item] = []
    dropped: list[str] = []
    for row in values.get("posts") or []:
        post_id, text = first_text(row.get("post_id")), joined(row.get("text"))
        if not post_id:
            dropped.append("drop/post/missing_post_id")
            continue
        if not text:
            dropped.append("drop/post/missing_text")
            continue
        posted_at = parse_datetime(row.get("posted_at"), date_format, source.timezone)
        if posted_at is None and row.get("posted_at"):
            dropped.append("field_unparsed/post/posted_at")
        items.append(
            Post(
                source=source.name,
                forum=source.title,
                board=first_text(values.get("board")),
                thread_id=thread_id,
                thread_title=thread_title,
                post_id=post_id,
                url=page.url,
                text=text,
                seen_at=page.seen_at,
                author=first_text(row.get("author")),
                posted_at=posted_at,
                language_hint=(language or "")[:2].lower() or None,
                is_trip_report=bool(parse_bool(values.get("is_trip_report"))),
                warc_record_id=page.warc_record_id,
            )
        )
    return items, dropped


def _date_format(source: Source) -> str | None:
    posts = source.pages["thread"].fields["posts"]
    spec = posts.fields.get("posted_at") if isinstance(posts, RowsSpec) else None
    return spec.format if isinstance(spec, FieldSpec) else None
