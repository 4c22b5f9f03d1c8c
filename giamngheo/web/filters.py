"""Filters of the review's lists (django-filter): each reads the request's query string into a form
and narrows a selector's queryset; the rows themselves come from `review.selectors`."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from ..classification.models import Category
from ..review import selectors
from ..review.models import Listed, ReviewRound, Status
from ..review.transitions import LABELS as TRANSITIONS
from ..review.transitions import transition_label

NO_VILLAGE = "khac"  # households the registry has not placed in a village
NOBODY = "chua"  # no reviewer yet
NOT_CLASSIFIED = "chua"


class ListedFilter(django_filters.FilterSet):
    """The round's list: by village, state, category, reviewer, assignee and complaints; searched by household
    id or head's name (with or without diacritics)."""

    q = django_filters.CharFilter(
        method="search",
        label=_("Tìm mã hộ, tên chủ hộ"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Mã hộ hoặc tên chủ hộ"), "maxlength": "100"}),
    )
    thon = django_filters.ChoiceFilter(method="by_village", label=_("Thôn"), empty_label=_("Tất cả thôn"))
    trang_thai = django_filters.ChoiceFilter(
        field_name="state", choices=Listed.State.choices, label=_("Trạng thái"), empty_label=_("Mọi trạng thái")
    )
    phan_loai = django_filters.ChoiceFilter(
        method="by_category",
        choices=[*Category.choices, (NOT_CLASSIFIED, _("Chưa phân loại"))],
        label=_("Kết quả"),
        empty_label=_("Mọi kết quả"),
    )
    nguoi_ra_soat = django_filters.ChoiceFilter(
        method="by_reviewer", label=_("Người rà soát"), empty_label=_("Mọi người")
    )
    giao_cho = django_filters.ChoiceFilter(method="by_assignee", label=_("Giao cho"), empty_label=_("Mọi người"))
    khieu_nai = django_filters.ChoiceFilter(
        method="by_complaint",
        choices=[("co", _("Có khiếu nại")), ("cho", _("Chờ phúc tra")), ("co-co-so", _("Có cơ sở"))],
        label=_("Khiếu nại"),
        empty_label=_("Tất cả"),
    )

    class Meta:
        model = Listed
        fields: list[str] = []

    def __init__(self, data, *, review_round: ReviewRound, villages, assignable=(), **kwargs):
        super().__init__(data, queryset=selectors.listed_rows(review_round), **kwargs)
        self.review_round = review_round
        self.filters["thon"].extra["choices"] = [(str(v.pk), v.name) for v in villages] + [  # villages_of's order
            (NO_VILLAGE, _("Chưa xếp thôn"))
        ]
        self.filters["nguoi_ra_soat"].extra["choices"] = [
            (str(pk), name) for pk, name in selectors.round_reviewers(review_round)
        ] + [(NOBODY, _("Chưa có"))]
        self.filters["giao_cho"].extra["choices"] = [
            (str(pk), name) for pk, name in selectors.round_assignees(review_round, assignable)
        ] + [(NOBODY, _("Chưa giao"))]

    def search(self, queryset, name, value):
        return selectors.listed_search(self.review_round, queryset, value)

    def by_village(self, queryset, name, value):
        if value == NO_VILLAGE:
            return queryset.filter(household__village__isnull=True)
        return queryset.filter(household__village_id=int(value))

    def by_category(self, queryset, name, value):
        if value == NOT_CLASSIFIED:
            return queryset.filter(classification__isnull=True)
        return queryset.filter(classification__category=value)

    def by_reviewer(self, queryset, name, value):
        if value == NOBODY:
            return queryset.filter(reviewer__isnull=True)
        return queryset.filter(reviewer_id=int(value))

    def by_assignee(self, queryset, name, value):
        if value == NOBODY:
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee_id=int(value))

    def by_complaint(self, queryset, name, value):
        if value == "cho":
            return queryset.filter(complaint_open=True)
        if value == "co-co-so":
            return queryset.filter(complaint_upheld=True)
        return queryset.filter(complaints__isnull=False).distinct()


class RegisterFilter(django_filters.FilterSet):
    """The commune's register (sổ theo dõi): by category, change and year of the decision; searched by
    household id or head's name (with or without diacritics)."""

    q = django_filters.CharFilter(
        method="search",
        label=_("Tìm mã hộ, tên chủ hộ"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Mã hộ hoặc tên chủ hộ"), "maxlength": "100"}),
    )
    phan_loai = django_filters.ChoiceFilter(
        field_name="category", choices=Category.choices, label=_("Phân loại"), empty_label=_("Mọi phân loại")
    )
    bien_dong = django_filters.ChoiceFilter(field_name="transition", label=_("Biến động"), empty_label=_("Tất cả"))
    nam = django_filters.ChoiceFilter(method="by_year", label=_("Năm"), empty_label=_("Mọi năm"))

    class Meta:
        model = Status
        fields: list[str] = []

    def __init__(self, data, *, actor, commune_id: int, **kwargs):
        super().__init__(data, queryset=selectors.register_of(actor, commune_id), **kwargs)
        self.commune_id = commune_id
        self.filters["bien_dong"].extra["choices"] = [(code, transition_label(code)) for code in TRANSITIONS]
        years = selectors.register_years(self.queryset)
        self.filters["nam"].extra["choices"] = [(str(y), str(y)) for y in years]

    def search(self, queryset, name, value):
        return selectors.register_search(self.commune_id, queryset, value)

    def by_year(self, queryset, name, value):
        return queryset.filter(valid_from__year=int(value))
