"""Review statuses and their history: 草稿 → 待审 → 退回 / 通过, who changed them, when, and why.

The history is stored in the draft (`[review]`), so it travels with the file. `change_status`
holds the rules every caller obeys (the unit's wizard, the review screen, the command line):
a report with errors can be neither submitted nor approved, and returning one needs a comment.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from .values import strip_controls

if TYPE_CHECKING:
    from .report import Report

MAX_COMMENT = 2000
"""Longest comment kept (characters): a problem list belongs in the workbook, not here."""


class ReviewStatus(StrEnum):
    """Where a unit's report is in the review; the value is the id stored in the draft."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"

    @property
    def label(self) -> str:
        """草稿, 待审, 退回, 通过."""
        return _LABELS[self]

    @property
    def order(self) -> int:
        """Sort key: what needs the office first (待审), then returned, drafts, approved."""
        return _ORDER[self]


_LABELS = {
    ReviewStatus.DRAFT: "草稿",
    ReviewStatus.SUBMITTED: "待审",
    ReviewStatus.RETURNED: "退回",
    ReviewStatus.APPROVED: "通过",
}
_ORDER = {ReviewStatus.SUBMITTED: 0, ReviewStatus.RETURNED: 1, ReviewStatus.DRAFT: 2, ReviewStatus.APPROVED: 3}


def parse_status(text: str) -> ReviewStatus:
    """A status by its id (`approved`) or its Chinese label (通过); `ValueError` in Chinese otherwise."""
    for status in ReviewStatus:
        if text in (status.value, status.label):
            return status
    known = "、".join(f"{s.label}（{s.value}）" for s in ReviewStatus)
    raise ValueError(f"未知的审核状态“{text}”（可用：{known}）")


@dataclass(frozen=True)
class ReviewEntry:
    """One change of status: to what, by whom, when (with its time zone), and the comment."""

    status: ReviewStatus
    by: str
    at: dt.datetime
    comment: str = ""

    @property
    def when(self) -> str:
        """The local time of the change, e.g. `2026-01-10 09:30`."""
        return self.at.astimezone().strftime("%Y-%m-%d %H:%M")


@dataclass
class Review:
    """A draft's review status and every change that led to it, oldest first."""

    status: ReviewStatus = ReviewStatus.DRAFT
    history: list[ReviewEntry] = field(default_factory=list)

    @property
    def last(self) -> ReviewEntry | None:
        return self.history[-1] if self.history else None

    @property
    def last_comment(self) -> ReviewEntry | None:
        """The latest change that came with a comment (a 退回 says what to correct)."""
        for entry in reversed(self.history):
            if entry.comment:
                return entry
        return None

    @property
    def empty(self) -> bool:
        """Never reviewed: nothing to store."""
        return self.status is ReviewStatus.DRAFT and not self.history


class ReviewRefused(Exception):
    """A status change the rules do not allow; the message is one line of Chinese."""


def current_user() -> str:
    """Who is changing a status: the login name (the same name `lock` shows for a session)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "未知用户"


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone().replace(microsecond=0)


def change_status(
    report: Report,
    status: ReviewStatus,
    *,
    errors: int,
    comment: str = "",
    by: str | None = None,
    now: dt.datetime | None = None,
) -> ReviewEntry:
    """Set the report's review status and record the change; `ReviewRefused` when the rules forbid it.

    `errors` is how many errors the checks find in the report now: a report with errors can be
    neither submitted (待审) nor approved (通过). Returning it (退回) needs a comment.
    """
    comment = strip_controls(comment).strip()[:MAX_COMMENT]
    review = report.review
    if status is review.status and not comment:
        raise ReviewRefused(f"审核状态已经是“{status.label}”")
    if errors and status is ReviewStatus.SUBMITTED:
        raise ReviewRefused(f"报告还有 {errors} 个错误，不能提交审核（待审）：请先改正（Ctrl+F 查看）")
    if errors and status is ReviewStatus.APPROVED:
        raise ReviewRefused(f"报告还有 {errors} 个错误，不能通过：请退回并写明要改正的地方")
    if status is ReviewStatus.RETURNED and not comment:
        raise ReviewRefused("退回时必须写明原因（要改正什么）")
    return _record(review, status, comment, by, now)


def _record(review: Review, status: ReviewStatus, comment: str, by: str | None, now: dt.datetime | None) -> ReviewEntry:
    """Set the status and add the change to the history."""
    entry = ReviewEntry(status, strip_controls(by or current_user(), keep_newlines=False), now or _now(), comment)
    review.status = status
    review.history.append(entry)
    return entry


def reopen_after_edit(report: Report, *, by: str | None = None, now: dt.datetime | None = None) -> ReviewEntry | None:
    """A report changed after it was submitted (待审) or approved (通过) goes back to 草稿; the entry, or None.

    What the office reviewed is no longer what the file holds: the unit submits it again, and the
    history says why the status changed.
    """
    review = report.review
    if review.status not in (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED):
        return None
    return _record(review, ReviewStatus.DRAFT, f"{review.status.label}后修改了报告内容，需要重新提交审核", by, now)


# --- the [review] table of a draft ----------------------------------------------------------------


def review_from_data(data: Any, fail: Callable[[str, str], Exception]) -> Review:
    """Read `[review]`; `fail(key, problem)` makes the error that names the key."""
    if not isinstance(data, dict):
        raise fail("review", "应为表（[review]）")
    try:
        status = parse_status(data.get("status", ReviewStatus.DRAFT.value))
    except (ValueError, TypeError) as exc:
        raise fail("review.status", str(exc)) from None
    history = data.get("history", [])
    if not isinstance(history, list):
        raise fail("review.history", "应为表的列表（[[review.history]]）")
    entries = []
    for i, item in enumerate(history):
        where = f"review.history[{i}]"
        if not isinstance(item, dict):
            raise fail(where, "应为表")
        try:
            entry_status = parse_status(item.get("status", ""))
        except (ValueError, TypeError) as exc:
            raise fail(f"{where}.status", str(exc)) from None
        at = item.get("at")
        if not isinstance(at, dt.datetime):
            raise fail(f"{where}.at", "应为日期时间，例如 2026-01-10T09:30:00+08:00")
        if at.tzinfo is None:
            at = at.astimezone()
        by, comment = item.get("by", ""), item.get("comment", "")
        if not isinstance(by, str) or not isinstance(comment, str):
            raise fail(where, "by 和 comment 应为文字")
        by, comment = strip_controls(by, keep_newlines=False), strip_controls(comment)[:MAX_COMMENT]
        entries.append(ReviewEntry(entry_status, by, at, comment))
    return Review(status, entries)


def review_to_data(review: Review) -> dict[str, Any]:
    """The `[review]` table of a draft."""
    out: dict[str, Any] = {"status": review.status.value}
    if review.history:
        out["history"] = [
            {"status": e.status.value, "by": e.by, "at": e.at, **({"comment": e.comment} if e.comment else {})}
            for e in review.history
        ]
    return out
