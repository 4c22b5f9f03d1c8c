"""The household/member interchange format (docs/data-contract.md) as one table of columns.

Readers, validators, templates, synthetic data and the engine all take their column names,
types, code lists and Vietnamese labels from here, so the format is defined once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

TEXT, INT, DECIMAL, BOOL, DATE, CODE = "text", "int", "decimal", "bool", "date", "code"

WATER_SOURCES = (
    "piped",
    "drilled_well",
    "protected_dug_well",
    "protected_spring",
    "rainwater",
    "bottled",
    "unprotected_dug_well",
    "unprotected_spring",
    "surface_water",
    "vendor",
    "other",
)
LATRINES = (
    "septic",
    "semi_septic",
    "pour_flush",
    "ventilated_pit",
    "pit_with_slab",
    "pit_without_slab",
    "hanging",
    "none",
    "other",
)
RELATIONS = ("head", "spouse", "child", "parent", "grandchild", "sibling", "other")
EDUCATION_LEVELS = (
    "none",
    "primary",
    "lower_secondary",
    "upper_secondary",
    "vocational_elementary",
    "vocational_intermediate",
    "college",
    "university",
)
EMPLOYMENT = (
    "wage_with_contract",
    "wage_without_contract",
    "self_employed",
    "unemployed",
    "not_in_labour_force",
)
DISABILITY = ("none", "mild", "severe", "very_severe")
SEXES = ("male", "female")
AREAS = ("rural", "urban")


TODAY = "today"  # an upper bound that moves: the date (or year) of the import
EARLIEST_BIRTH = dt.date(1900, 1, 1)

# What Form B (Phiếu B) asks of a column: the web form, the phone's XLSForm, the ODK/Kobo intake and
# the API take their lists from here, so a column added to the contract is asked everywhere at once.
FORM_B_KEY = "key"  # the record's id: the phone asks it to match the household or member; the web knows it
FORM_B_FACT = "fact"  # a fact the reviewer checks for every household (or member) in Form B
FORM_B_PERSON = "person"  # who a member is: asked on the phone for a member added there, kept otherwise


@dataclass(frozen=True)
class Column:
    """One column. `minimum`/`maximum` are plausibility bounds (a floor area cannot be negative,
    nobody alive was born before 1900), not legal thresholds; `max_length` is what the registry
    stores; `decimals` is the precision kept."""

    name: str
    kind: str
    required: bool
    label_vi: str
    codes: tuple[str, ...] = ()
    minimum: int | float | dt.date | None = None
    maximum: int | float | dt.date | str | None = None
    max_length: int | None = None
    decimals: int | None = None
    form_b: str = ""  # FORM_B_KEY, FORM_B_FACT, FORM_B_PERSON, or "" when Form B does not ask it


HOUSEHOLD_COLUMNS: tuple[Column, ...] = (
    Column("household_id", TEXT, True, "Mã hộ", max_length=40, form_b=FORM_B_KEY),
    Column("admin_code", TEXT, True, "Mã xã/phường", max_length=8),
    Column("village", TEXT, False, "Thôn, tổ dân phố", max_length=120),
    Column("area", CODE, False, "Khu vực (nông thôn/thành thị)", AREAS, form_b=FORM_B_FACT),
    Column(
        "income_per_capita_month",
        INT,
        False,
        "Thu nhập bình quân đầu người/tháng (đồng)",
        minimum=0,
        maximum=1_000_000_000,
        form_b=FORM_B_FACT,
    ),
    Column(
        "income_score", INT, False, "Điểm thu nhập (điểm A, Phiếu B)", minimum=0, maximum=10_000, form_b=FORM_B_FACT
    ),
    Column("walls_durable", BOOL, True, "Tường bền chắc", form_b=FORM_B_FACT),
    Column("columns_durable", BOOL, True, "Cột bền chắc", form_b=FORM_B_FACT),
    Column("roof_durable", BOOL, True, "Mái bền chắc", form_b=FORM_B_FACT),
    Column(
        "floor_area_m2",
        DECIMAL,
        True,
        "Diện tích nhà ở (m²)",
        minimum=0,
        maximum=10_000,
        decimals=2,
        form_b=FORM_B_FACT,
    ),
    Column("water_source", CODE, True, "Nguồn nước sinh hoạt", WATER_SOURCES, form_b=FORM_B_FACT),
    Column("latrine", CODE, True, "Loại nhà tiêu", LATRINES, form_b=FORM_B_FACT),
    Column("uses_telecom", BOOL, True, "Có sử dụng dịch vụ viễn thông", form_b=FORM_B_FACT),
    Column("has_info_device", BOOL, True, "Có tivi, radio, máy tính hoặc điện thoại thông minh", form_b=FORM_B_FACT),
    Column("hears_loudspeaker", BOOL, False, "Nghe được loa truyền thanh xã/thôn", form_b=FORM_B_FACT),
    Column("uses_internet", BOOL, False, "Có sử dụng internet, dịch vụ công trực tuyến", form_b=FORM_B_FACT),
    Column("waste_treated", BOOL, False, "Rác thải được thu gom, xử lý hợp vệ sinh", form_b=FORM_B_FACT),
)

MEMBER_COLUMNS: tuple[Column, ...] = (
    Column("household_id", TEXT, True, "Mã hộ", max_length=40),
    Column("member_id", TEXT, True, "Mã thành viên", max_length=40, form_b=FORM_B_KEY),
    Column("national_id", TEXT, False, "Số định danh cá nhân (CCCD)", max_length=12, form_b=FORM_B_PERSON),
    Column("full_name", TEXT, False, "Họ và tên", max_length=120, form_b=FORM_B_PERSON),
    Column("sex", CODE, False, "Giới tính", SEXES, form_b=FORM_B_PERSON),
    Column("birth_date", DATE, False, "Ngày sinh", minimum=EARLIEST_BIRTH, maximum=TODAY, form_b=FORM_B_PERSON),
    Column("birth_year", INT, False, "Năm sinh", minimum=EARLIEST_BIRTH.year, maximum=TODAY, form_b=FORM_B_PERSON),
    Column("relation_to_head", CODE, False, "Quan hệ với chủ hộ", RELATIONS, form_b=FORM_B_PERSON),
    Column("ethnicity", TEXT, False, "Dân tộc", max_length=60, form_b=FORM_B_PERSON),
    Column("highest_education", CODE, True, "Trình độ học vấn cao nhất", EDUCATION_LEVELS, form_b=FORM_B_FACT),
    Column("in_school", BOOL, True, "Đang đi học", form_b=FORM_B_FACT),
    Column("has_health_insurance", BOOL, True, "Có thẻ BHYT", form_b=FORM_B_FACT),
    Column("employment", CODE, True, "Tình trạng việc làm", EMPLOYMENT, form_b=FORM_B_FACT),
    Column("disability", CODE, False, "Mức độ khuyết tật", DISABILITY, form_b=FORM_B_FACT),
    Column("social_allowance", BOOL, False, "Hưởng trợ cấp xã hội hằng tháng", form_b=FORM_B_FACT),
    Column("stunted", BOOL, False, "Trẻ suy dinh dưỡng chiều cao theo tuổi", form_b=FORM_B_FACT),
    Column("underweight", BOOL, False, "Trẻ suy dinh dưỡng cân nặng theo tuổi", form_b=FORM_B_FACT),
    Column("meritorious_service", BOOL, False, "Người có công với cách mạng", form_b=FORM_B_FACT),
    Column("untreated_illness", BOOL, False, "Ốm đau không được khám chữa bệnh (12 tháng qua)", form_b=FORM_B_FACT),
)

# Ids and codes: text cells only (a number cell in Excel has already lost its leading zeros)
IDENTIFIERS = ("household_id", "admin_code", "member_id", "national_id")
# The template's example row: an id the importer refuses, so the example can never land in the registry
EXAMPLE_HOUSEHOLD_ID = "MAU-VIDU-0001"
EXAMPLE_MEMBER_ID = "MAU-VIDU-0001-01"

HOUSEHOLD_BY_NAME = {c.name: c for c in HOUSEHOLD_COLUMNS}
MEMBER_BY_NAME = {c.name: c for c in MEMBER_COLUMNS}


def form_b_columns(columns: tuple[Column, ...], *asked: str) -> tuple[Column, ...]:
    """The columns Form B asks as one of `asked` (FORM_B_KEY, FORM_B_FACT, FORM_B_PERSON), in contract order."""
    return tuple(c for c in columns if c.form_b in asked)


# The facts a reviewer checks in Form B, household by household and member by member
FORM_B_HOUSEHOLD_FACTS = form_b_columns(HOUSEHOLD_COLUMNS, FORM_B_FACT)
FORM_B_MEMBER_FACTS = form_b_columns(MEMBER_COLUMNS, FORM_B_FACT)

TRUE_WORDS = frozenset({"true", "1", "có", "co", "yes", "x"})
FALSE_WORDS = frozenset({"false", "0", "không", "khong", "no"})

CATEGORIES = ("poor", "near_poor", "average", "other")
# The one table of category labels (Vietnamese, English): the models' choices, explanations, the
# CLI, reports and papers all read it.
CATEGORY_LABELS = {
    "poor": ("Hộ nghèo", "Poor"),
    "near_poor": ("Hộ cận nghèo", "Near-poor"),
    "average": ("Hộ có mức sống trung bình", "Average living standard"),
    "other": ("Hộ khác", "Other (not poor)"),
}

CODE_LABELS_VI = {
    "piped": "Nước máy",
    "drilled_well": "Giếng khoan",
    "protected_dug_well": "Giếng đào được bảo vệ",
    "protected_spring": "Nước khe/mó được bảo vệ",
    "rainwater": "Nước mưa",
    "bottled": "Nước đóng chai, bình",
    "unprotected_dug_well": "Giếng đào không được bảo vệ",
    "unprotected_spring": "Nước khe/mó không được bảo vệ",
    "surface_water": "Nước sông, suối, ao, hồ",
    "vendor": "Nước mua từ xe/người bán",
    "other": "Khác",
    "septic": "Tự hoại",
    "semi_septic": "Bán tự hoại",
    "pour_flush": "Thấm dội nước",
    "ventilated_pit": "Hố xí chìm có ống thông hơi",
    "pit_with_slab": "Hố xí có bệ/sàn",
    "pit_without_slab": "Hố xí không có bệ",
    "hanging": "Cầu tiêu ao cá",
    "none": "Không có",
    "head": "Chủ hộ",
    "spouse": "Vợ/chồng",
    "child": "Con",
    "parent": "Bố/mẹ",
    "grandchild": "Cháu",
    "sibling": "Anh/chị/em",
    "primary": "Tiểu học",
    "lower_secondary": "Trung học cơ sở",
    "upper_secondary": "Trung học phổ thông",
    "vocational_elementary": "Sơ cấp nghề",
    "vocational_intermediate": "Trung cấp",
    "college": "Cao đẳng",
    "university": "Đại học trở lên",
    "wage_with_contract": "Làm công có hợp đồng",
    "wage_without_contract": "Làm công không có hợp đồng",
    "self_employed": "Tự làm",
    "unemployed": "Thất nghiệp",
    "not_in_labour_force": "Không tham gia lao động",
    "mild": "Nhẹ",
    "severe": "Nặng",
    "very_severe": "Đặc biệt nặng",
    "male": "Nam",
    "female": "Nữ",
    "rural": "Nông thôn",
    "urban": "Thành thị",
}


def label_vi(code: str, column: str | None = None) -> str:
    """Vietnamese label of a code ('none' reads 'Không có' except for education and disability)."""
    if code == "none" and column in ("highest_education", "disability"):
        return "Chưa đi học" if column == "highest_education" else "Không khuyết tật"
    return CODE_LABELS_VI.get(code, code)


CODE_LABELS_EN = {
    "piped": "Piped water",
    "drilled_well": "Drilled well",
    "protected_dug_well": "Protected dug well",
    "protected_spring": "Protected spring",
    "rainwater": "Rainwater",
    "bottled": "Bottled or jar water",
    "unprotected_dug_well": "Unprotected dug well",
    "unprotected_spring": "Unprotected spring",
    "surface_water": "River, stream, pond or lake",
    "vendor": "Water bought from a cart or vendor",
    "other": "Other",
    "septic": "Septic tank",
    "semi_septic": "Semi-septic tank",
    "pour_flush": "Pour-flush",
    "ventilated_pit": "Ventilated pit latrine",
    "pit_with_slab": "Pit latrine with a slab",
    "pit_without_slab": "Pit latrine without a slab",
    "hanging": "Latrine over a fish pond",
    "none": "None",
    "head": "Head of household",
    "spouse": "Spouse",
    "child": "Child",
    "parent": "Parent",
    "grandchild": "Grandchild",
    "sibling": "Sibling",
    "primary": "Primary school",
    "lower_secondary": "Lower secondary school",
    "upper_secondary": "Upper secondary school",
    "vocational_elementary": "Elementary vocational training",
    "vocational_intermediate": "Intermediate vocational training",
    "college": "College",
    "university": "University or higher",
    "wage_with_contract": "Employed with a contract",
    "wage_without_contract": "Employed without a contract",
    "self_employed": "Self-employed",
    "unemployed": "Unemployed",
    "not_in_labour_force": "Not in the labour force",
    "mild": "Mild",
    "severe": "Severe",
    "very_severe": "Very severe",
    "male": "Male",
    "female": "Female",
    "rural": "Rural",
    "urban": "Urban",
}
# English names of the columns, for pages in English (the template and the files keep label_vi)
COLUMN_LABELS_EN = {
    "household_id": "Household code",
    "admin_code": "Commune/ward code",
    "village": "Village, residential group",
    "area": "Area (rural/urban)",
    "income_per_capita_month": "Income per person per month (đồng)",
    "income_score": "Income score (score A, Form B)",
    "walls_durable": "Durable walls",
    "columns_durable": "Durable columns",
    "roof_durable": "Durable roof",
    "floor_area_m2": "Floor area (m²)",
    "water_source": "Domestic water source",
    "latrine": "Latrine",
    "uses_telecom": "Uses telecom services",
    "has_info_device": "Has a TV, radio, computer or smartphone",
    "hears_loudspeaker": "Hears the commune/village loudspeaker",
    "uses_internet": "Uses the internet, online public services",
    "waste_treated": "Waste collected and treated hygienically",
    "member_id": "Member code",
    "national_id": "Personal identification number",
    "full_name": "Full name",
    "sex": "Sex",
    "birth_date": "Date of birth",
    "birth_year": "Year of birth",
    "relation_to_head": "Relation to the head",
    "ethnicity": "Ethnicity",
    "highest_education": "Highest education",
    "in_school": "In school",
    "has_health_insurance": "Has a health insurance card",
    "employment": "Employment",
    "disability": "Disability",
    "social_allowance": "Receives a monthly social allowance",
    "stunted": "Child stunted (height for age)",
    "underweight": "Child underweight (weight for age)",
    "meritorious_service": "Person of merit to the revolution",
    "untreated_illness": "Ill without treatment (last 12 months)",
}


def label_en(code: str, column: str | None = None) -> str:
    """English label of a code, as `label_vi` (pages in English; files and papers are Vietnamese)."""
    if code == "none" and column in ("highest_education", "disability"):
        return "No schooling" if column == "highest_education" else "No disability"
    return CODE_LABELS_EN.get(code, code)


# A sheet may use the Vietnamese labels of our template as headers; they mean the same columns.
NAME_BY_LABEL = {c.label_vi: c.name for c in (*HOUSEHOLD_COLUMNS, *MEMBER_COLUMNS)}
