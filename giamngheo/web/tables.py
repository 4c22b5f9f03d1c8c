"""Tables of the review's lists (django-tables2): columns, sorting and paging; each cell carries its
label for the phone layout (the header row is hidden there)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..review import selectors
from ..review.models import Listed, Status
from ..review.transitions import transition_label
from ..standards.formats import date_vi

PER_PAGE = 50


def _col(label, phone: bool = True, **kwargs):
    """A column's header and the label its cells carry on a phone (`phone=False`: not shown there)."""
    td = {"data-label": label} if phone else {"data-label": label, "class": "phone-hide"}
    return {"verbose_name": label, "attrs": {"td": td}, **kwargs}


class HouseholdColumns(tables.Table):
    """The columns every list of a household's rows starts with (rows with a `household` and a
    `head_name`): the id linked to its page, the head, the village."""

    household_id = tables.Column(
        **_col(_("Mã hộ")),
        accessor="household__household_id",
        linkify=("household_detail", [tables.A("household__household_id")]),
    )
    head_name = tables.Column(**_col(_("Chủ hộ")), default="—")
    village = tables.Column(
        **_col(_("Thôn")),
        accessor="household__village__name",
        order_by=("household__village__name", "household__village_name"),
        empty_values=(),  # rendered from the free-text name when the registry has no village row
    )

    def render_village(self, value, record):
        return value or record.household.village_name or "—"


class ListedTable(HouseholdColumns):
    """The round's list. `chon` (a box per row, belonging to the page's form "assign") is shown only
    to those who may give households to reviewers: the view excludes it for others."""

    chon = tables.CheckBoxColumn(
        accessor="pk",
        attrs={
            "input": {"form": "assign", "name": "ho"},
            "th__input": {"form": "assign", "data-check-all": "ho", "aria-label": _("Chọn cả trang")},
            "td": {"data-label": _("Chọn")},
        },
        orderable=False,
    )
    reason = tables.Column(**_col(_("Lý do"), phone=False))
    state = tables.Column(**_col(_("Trạng thái")))
    category = tables.Column(**_col(_("Kết quả")), accessor="classification__category", default="—")
    reviewer = tables.Column(**_col(_("Người rà soát"), phone=False), accessor="reviewer__username", default="—")
    assignee = tables.Column(**_col(_("Giao cho")), accessor="assignee__username", default="—")
    actions = tables.TemplateColumn(
        template_name="web/review/_listed_actions.html",
        verbose_name="",
        orderable=False,
        attrs={"td": {"class": "actions"}},
    )

    class Meta:
        model = Listed
        fields: tuple[str, ...] = ()
        sequence: tuple[str, ...] = (
            "chon",
            "household_id",
            "head_name",
            "village",
            "reason",
            "state",
            "category",
            "reviewer",
            "assignee",
            "actions",
        )
        template_name = "web/review/_table.html"
        attrs = {"class": "list", "id": "listed"}
        order_by_field = "sap_xep"
        page_field = "trang"
        empty_text = _("Không có hộ nào khớp bộ lọc.")

    def render_category(self, value, record):
        c = record.classification
        return format_html(
            "{} ({})",
            c.get_category_display(),
            gettext("%(n)s chỉ số thiếu hụt") % {"n": c.deprivation_count},
        )


class WorklistTable(ListedTable):
    """A reviewer's households still to survey, with what each needs next."""

    task = tables.Column(**_col(_("Việc còn lại")), empty_values=(), orderable=False)
    chon = None
    assignee = None
    reviewer = None
    reason = None
    category = None
    state = None

    class Meta(ListedTable.Meta):
        sequence: tuple[str, ...] = ("household_id", "head_name", "village", "task", "actions")
        attrs = {"class": "list", "id": "worklist"}
        empty_text = _("Không còn hộ nào cần rà soát.")

    step = ""  # the round's step, set by the view (what is left depends on it)
    form_a_reasons: tuple[str, ...] = ()  # the review law's, on the round's date, set by the view

    def render_task(self, record):
        return selectors.next_task(record, self.step, self.form_a_reasons)


class RegisterTable(HouseholdColumns):
    """The commune's register, a page at a time: who, from when, which category, what changed, by which
    decision."""

    valid_from = tables.Column(**_col(_("Từ ngày")))
    category = tables.Column(**_col(_("Phân loại")))
    transition = tables.Column(**_col(_("Biến động")))
    decision_number = tables.Column(**_col(_("Quyết định"), phone=False), default="—")

    class Meta:
        model = Status
        fields: tuple[str, ...] = ()
        sequence: tuple[str, ...] = (
            "household_id",
            "head_name",
            "village",
            "valid_from",
            "category",
            "transition",
            "decision_number",
        )
        template_name = "web/review/_table.html"
        attrs = {"class": "list", "id": "register"}
        order_by_field = "sap_xep"
        page_field = "trang"
        empty_text = _("Không có hộ nào khớp bộ lọc.")

    count_label = _("quyết định")

    def render_valid_from(self, value):
        return date_vi(value)

    def render_category(self, value, record):
        return record.get_category_display()

    def render_transition(self, value):
        return transition_label(value)

    def render_decision_number(self, value, record):
        """A status entered from a decision taken before giamngheo says so: there is no Form B behind it."""
        if not record.from_decision:
            return value
        return format_html('{} <small class="muted from-decision">({})</small>', value, record.get_source_display())
