"""The review desk's core: statuses and their history, the units of a folder, deadlines, locks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import HUAIAN, other_session
from tests.units import BROKEN_CELL, WHEN, damage, write_units
from tui.core import tomlsafe
from tui.core.checks import check_report
from tui.core.deadlines import (
    BodyKind,
    ConfigError,
    ConfigFinder,
    deadline_findings,
    deadline_for,
    infer_kind,
    load_config,
)
from tui.core.review import ReviewRefused, ReviewStatus, change_status
from tui.core.session import DraftLocked, open_draft
from tui.core.store import DraftError, dumps_report, load_report, report_from_data, save_report
from tui.core.units import (
    SortKey,
    UnitsSummary,
    check_unit,
    draft_paths,
    filter_units,
    iter_units,
    list_units,
    set_session_status,
    set_unit_status,
    sort_units,
)

TODAY = dt.date(2026, 1, 25)  # six days before departments' reports are due


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """12 units in two sub-folders; the last one cut off."""
    units = tmp_path / "units"
    written = write_units(units, 12, subfolders=2)
    damage(written[-1][0])
    return units


# --- statuses -------------------------------------------------------------------------------------


def test_old_drafts_without_review_load_and_save_unchanged() -> None:
    report = load_report(HUAIAN)
    assert report.review.status is ReviewStatus.DRAFT and report.review.history == []
    assert report.kind == "" and report.deadline is None and report.published is None
    text = dumps_report(report)
    assert "[review]" not in text and "kind" not in text and text == HUAIAN.read_text(encoding="utf-8")


def test_status_rules_and_history_round_trip() -> None:
    report = load_report(HUAIAN)
    with pytest.raises(ReviewRefused, match="还有 2 个错误，不能提交审核"):
        change_status(report, ReviewStatus.SUBMITTED, errors=2)
    with pytest.raises(ReviewRefused, match="不能通过"):
        change_status(report, ReviewStatus.APPROVED, errors=1)
    change_status(report, ReviewStatus.SUBMITTED, errors=0, by="单位", now=WHEN)
    with pytest.raises(ReviewRefused, match="必须写明原因"):
        change_status(report, ReviewStatus.RETURNED, errors=0, comment="  ")
    change_status(report, ReviewStatus.RETURNED, errors=3, comment="第五部分\x1b[2J太短", by="审核员", now=WHEN)
    assert report.review.status is ReviewStatus.RETURNED
    assert [e.status for e in report.review.history] == [ReviewStatus.SUBMITTED, ReviewStatus.RETURNED]
    back = report_from_data(tomlsafe.loads(dumps_report(report)))
    assert back.review == report.review
    assert back.review.last_comment is not None and back.review.last_comment.comment == "第五部分[2J太短"
    assert back.review.last_comment.by == "审核员" and back.review.last_comment.at == WHEN


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[review]\nstatus = "批准"\n', "review.status：未知的审核状态“批准”"),
        ('[review]\nstatus = "draft"\nhistory = [{ status = "approved", by = "x" }]\n', "review.history[0].at"),
        ('kind = "county"\n', "kind："),
        ('deadline = "2026-01-31"\n', "deadline：应为日期"),
    ],
)
def test_bad_review_facts_name_the_key(table: str, message: str) -> None:
    head, rest = HUAIAN.read_text(encoding="utf-8").split("\n[texts]", 1)
    if table.startswith("["):
        text = f"{head}\n{table}\n[texts]{rest}"
    else:
        text = head.replace("year = 2024\n", f"year = 2024\n{table}") + "\n[texts]" + rest
    with pytest.raises(DraftError, match=message.replace("[", r"\[").replace("]", r"\]")):
        report_from_data(tomlsafe.loads(text))


# --- units ----------------------------------------------------------------------------------------


def test_units_are_listed_recursively_with_their_counts(folder: Path) -> None:
    checked = list(iter_units([folder], today=TODAY))
    assert [c.unit.path for c in checked] == list(draft_paths(folder))
    assert len(checked) == 12 and {c.unit.path.parent.name for c in checked} == {"片区1", "片区2"}
    damaged = [c for c in checked if not c.unit.readable]
    assert len(damaged) == 1 and "不是有效的 TOML" in damaged[0].unit.problem
    readable = [c for c in checked if c.unit.readable]
    broken = {path.name for path, spec in write_units(folder.parent / "again", 12) if spec.error}
    assert {c.unit.path.name for c in readable if c.unit.errors} == broken - {"0011.toml"}
    for c in readable:
        assert c.report is not None
        errors = [f for f in c.findings if f.severity.value == "error"]
        assert c.unit.errors == len(errors)
    summary = UnitsSummary.of(c.unit for c in checked)
    assert summary.units == 12 and summary.unreadable == 1
    assert summary.with_errors == sum(1 for c in readable if c.unit.errors)
    assert summary.approved == sum(1 for c in readable if c.unit.status is ReviewStatus.APPROVED)
    assert summary.text.startswith("共 12 个单位：有错误 ")


def test_deadline_warnings_come_with_the_folder(folder: Path) -> None:
    checked = {c.unit.path.name: c for c in iter_units([folder], today=TODAY)}
    bureau = checked["0001.toml"]  # a department, not approved: due 2026-01-31, six days left
    assert bureau.unit.deadline == dt.date(2026, 1, 31) and bureau.unit.days_left == 6
    assert any(f.rule == "DEADLINE" and "还有 6 天截止" in f.message for f in bureau.findings)
    town = checked["0003.toml"]  # 某县东关镇人民政府: a township
    assert town.unit.kind_label == "乡镇/街道"
    approved = checked["0000.toml"]
    assert approved.unit.status is ReviewStatus.APPROVED
    assert not any(f.rule == "DEADLINE" for f in approved.findings)
    late = list(iter_units([folder], today=dt.date(2026, 2, 3)))
    overdue = [c.unit for c in late if c.unit.overdue]
    assert overdue and all(u.status is not ReviewStatus.APPROVED for u in overdue)
    assert UnitsSummary.of(c.unit for c in late).overdue == len(overdue)
    # a draft checked on its own, without anything a review desk set, gets no deadline finding
    alone = check_unit(bureau.unit.path, today=dt.date(2026, 3, 1), deadlines=False)
    assert not any(f.rule == "DEADLINE" for f in alone.findings)


def test_sorting_and_filtering(folder: Path) -> None:
    units = list(list_units([folder], today=TODAY))
    by_errors = sort_units(units, SortKey.ERRORS)
    assert [u.errors for u in by_errors if u.readable] == sorted((u.errors for u in units if u.readable), reverse=True)
    assert not by_errors[-1].readable
    by_status = sort_units(units, SortKey.STATUS)
    orders = [u.status.order for u in by_status if u.readable]
    assert orders == sorted(orders) and by_status[0].status is ReviewStatus.SUBMITTED
    assert all(u.status is ReviewStatus.APPROVED for u in filter_units(units, ReviewStatus.APPROVED))
    with_errors = filter_units(units, errors_only=True)
    assert with_errors and all(u.errors or not u.readable for u in with_errors)


def test_status_change_is_saved_and_respects_the_lock(folder: Path) -> None:
    units = {u.path.name: u for u in list_units([folder], today=TODAY)}
    clean = units["0002.toml"].path
    entry = set_unit_status(clean, ReviewStatus.APPROVED, by="审核员")
    saved = load_report(clean)
    assert saved.review.status is ReviewStatus.APPROVED and saved.review.last == entry and entry.by == "审核员"
    broken = units["0001.toml"].path
    with pytest.raises(ReviewRefused, match="错误"):
        set_unit_status(broken, ReviewStatus.APPROVED)
    set_unit_status(broken, ReviewStatus.RETURNED, comment="表三不平衡")
    assert load_report(broken).review.last_comment.comment == "表三不平衡"  # type: ignore[union-attr]
    busy = units["0003.toml"].path
    before = busy.read_bytes()
    with other_session(busy):
        assert check_unit(busy, today=TODAY).unit.locked_by  # listed as open, without taking the lock
        with pytest.raises(DraftLocked) as caught:
            set_unit_status(busy, ReviewStatus.APPROVED)
        assert caught.value.holder is not None
    assert busy.read_bytes() == before


def test_a_unit_submits_from_its_session(folder: Path) -> None:
    broken = folder / "片区2" / "0001.toml"
    opened = open_draft(broken)
    assert opened.session is not None
    with pytest.raises(ReviewRefused, match="错误"):
        set_session_status(opened.session, ReviewStatus.SUBMITTED)
    opened.session.set_cell(BROKEN_CELL, opened.session.report.cells[BROKEN_CELL] - 1)  # type: ignore[operator]
    set_session_status(opened.session, ReviewStatus.SUBMITTED, by="单位")
    opened.session.close()
    assert load_report(broken).review.status is ReviewStatus.SUBMITTED


def test_a_change_after_submission_or_approval_takes_the_report_back_to_draft(tmp_path: Path) -> None:
    report = load_report(HUAIAN)
    change_status(report, ReviewStatus.SUBMITTED, errors=0, by="单位", now=WHEN)
    change_status(report, ReviewStatus.APPROVED, errors=0, by="审核员", now=WHEN)
    path = tmp_path / "approved.toml"
    save_report(report, path)
    opened = open_draft(path)
    assert opened.session is not None
    opened.session.set_position(part="requests")  # moving about is not a change
    assert opened.session.review_reopened is None
    opened.session.set_text("other", opened.session.report.text("other") + "补充一句。")
    entry = opened.session.review_reopened
    assert entry is not None and entry.status is ReviewStatus.DRAFT
    assert "通过后修改了报告内容" in entry.comment
    opened.session.review_reopened = None
    opened.session.set_text("other", opened.session.report.text("other") + "再补充一句。")
    assert opened.session.review_reopened is None  # once: it is a draft now
    opened.session.save()
    opened.session.close()
    saved = load_report(path).review
    assert saved.status is ReviewStatus.DRAFT
    assert [e.status for e in saved.history] == [ReviewStatus.SUBMITTED, ReviewStatus.APPROVED, ReviewStatus.DRAFT]


def test_a_returned_report_is_corrected_without_changing_its_status(tmp_path: Path) -> None:
    report = load_report(HUAIAN)
    change_status(report, ReviewStatus.RETURNED, errors=0, comment="请补充第五部分", by="审核员", now=WHEN)
    path = tmp_path / "returned.toml"
    save_report(report, path)
    opened = open_draft(path)
    assert opened.session is not None
    opened.session.set_text("problems", "补充了问题和改进措施。")
    assert opened.session.review_reopened is None
    assert opened.session.report.review.status is ReviewStatus.RETURNED
    opened.session.close()


# --- deadlines ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("org", "kind", "due"),
    [
        ("某县民政局", BodyKind.DEPARTMENT, dt.date(2026, 1, 31)),
        ("某县人民政府", BodyKind.GOVERNMENT, dt.date(2026, 3, 31)),
        ("某县城关镇人民政府", BodyKind.TOWNSHIP, dt.date(2026, 1, 31)),
        ("某区新民街道办事处", BodyKind.TOWNSHIP, dt.date(2026, 1, 31)),
        ("某市人民政府办公室", BodyKind.DEPARTMENT, dt.date(2026, 1, 31)),
    ],
)
def test_default_deadlines_by_kind(org: str, kind: BodyKind, due: dt.date) -> None:
    report = load_report(HUAIAN)
    report.org, report.year = org, 2025
    assert infer_kind(org) is kind
    deadline = deadline_for(report, None)
    assert (deadline.kind, deadline.due, deadline.source) == (kind, due, "默认")


def test_folder_settings_and_the_drafts_own_deadline(tmp_path: Path) -> None:
    (tmp_path / "govreport.toml").write_text(
        '# 本县要求\nkind = "部门"\nwarn_days = 3\n\n[deadlines]\n"部门" = "01-20"\ngovernment = 2026-03-15\n',
        encoding="utf-8",
    )
    sub = tmp_path / "乡镇"
    sub.mkdir()
    draft = sub / "a.toml"
    report = load_report(HUAIAN)
    report.org, report.year = "某县人民政府", 2025
    save_report(report, draft)
    config = ConfigFinder(tmp_path).for_draft(draft)
    assert config is not None and config.warn_days == 3
    assert deadline_for(report, config).due == dt.date(2026, 1, 20)  # the folder's kind before the name's
    assert deadline_for(report, None).due == dt.date(2026, 3, 31)
    report.kind = "government"
    assert deadline_for(report, config).due == dt.date(2026, 3, 15)
    report.kind = "department"
    report.deadline = dt.date(2026, 1, 10)
    assert deadline_for(report, config).source == "草稿"
    deadline = deadline_for(report, config)
    assert deadline_findings(report, deadline, dt.date(2026, 1, 6), 3) == []
    assert "还有 3 天截止" in deadline_findings(report, deadline, dt.date(2026, 1, 7), 3)[0].message
    late = deadline_findings(report, deadline, dt.date(2026, 1, 12))
    assert "已超过截止日期（2026年1月10日，部门报告）2 天" in late[0].message
    report.published = dt.date(2026, 1, 11)
    change_status(report, ReviewStatus.SUBMITTED, errors=0)
    change_status(report, ReviewStatus.APPROVED, errors=0)
    findings = deadline_findings(report, deadline, dt.date(2026, 1, 12))
    assert [f.message for f in findings] == ["于 2026年1月11日 公布，晚于截止日期（2026年1月10日）1 天"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("deadline = 1\n", "deadline：未知的设置"),
        ('[deadlines]\n"县直" = "01-20"\n', "deadlines.县直：未知的机关类别“县直”"),
        ('[deadlines]\n"部门" = "02-30"\n', "deadlines.部门：“02-30”不是有效的日期"),
        ('[deadlines]\ndepartment = "下周"\n', "deadlines.department：“下周”应为日期"),
        ("warn_days = -1\n", "warn_days：应为 0 到 366 之间的整数"),
        ("[deadlines\n", "第 1 行"),
    ],
)
def test_wrong_folder_settings_are_named(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "govreport.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(path)
    lenient = ConfigFinder(tmp_path, strict=False)
    assert lenient.for_draft(tmp_path / "x.toml") is None and message.split("：")[0] in lenient.problems[0]


def test_check_report_is_untouched_by_the_desk() -> None:
    """The format's rules know nothing of deadlines: the wizard's findings do not change with the date."""
    report = load_report(HUAIAN)
    report.kind, report.deadline = "government", dt.date(2020, 1, 1)
    assert not any(f.rule == "DEADLINE" for f in check_report(report))
