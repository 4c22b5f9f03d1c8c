"""Forms: typed input and per-field messages; the services decide and write."""

from __future__ import annotations

from django import forms

from ..registry.models import Household

HOUSEHOLD_EDIT_FIELDS = [
    "address", "area", "income_per_capita_month", "income_score", "walls_durable", "columns_durable",
    "roof_durable", "floor_area_m2", "water_source", "latrine", "uses_telecom", "has_info_device",
    "hears_loudspeaker", "uses_internet", "waste_treated",
]


class HouseholdForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Household
        fields = HOUSEHOLD_EDIT_FIELDS
        widgets = {name: forms.NullBooleanSelect for name in (
            "walls_durable", "columns_durable", "roof_durable", "uses_telecom", "has_info_device",
            "hears_loudspeaker", "uses_internet", "waste_treated")}
