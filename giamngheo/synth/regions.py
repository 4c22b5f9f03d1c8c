"""Regional parameters for the synthetic population, by the 34 provinces of 2025.

Targets are the 2022 review results (domain reference §6.3): poor 14.23 % / near-poor 7.69 %
in the Northern Midlands and Mountains, 0.21 % / 0.13 % in the South-East, 4.03 % / 3.49 %
nationally. The other regions' splits are plausible guesses chosen so the nation lands near
the national figures; ethnic shares are rounded census orders of magnitude, not statistics.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    name: str
    poor: float  # target share of poor households
    near_poor: float  # target share of near-poor households
    ethnic_mix: tuple[tuple[str, float], ...]  # (ethnicity code, share)


REGIONS = {
    "nmm": Region(
        "Trung du và miền núi phía Bắc",
        0.1423,
        0.0769,
        (("01", 0.40), ("02", 0.13), ("03", 0.15), ("08", 0.13), ("06", 0.07), ("09", 0.06), ("07", 0.06)),
    ),
    "rrd": Region("Đồng bằng sông Hồng", 0.010, 0.016, (("01", 0.98), ("06", 0.01), ("02", 0.01))),
    "ncc": Region(
        "Bắc Trung Bộ và duyên hải miền Trung",
        0.050,
        0.050,
        (
            ("01", 0.90),
            ("03", 0.03),
            ("06", 0.02),
            ("17", 0.01),
            ("26", 0.01),
            ("19", 0.01),
            ("21", 0.01),
            ("23", 0.01),
        ),
    ),
    "ch": Region(
        "Tây Nguyên",
        0.075,
        0.050,
        (
            ("01", 0.65),
            ("10", 0.10),
            ("12", 0.08),
            ("13", 0.05),
            ("16", 0.04),
            ("20", 0.03),
            ("14", 0.03),
            ("08", 0.02),
        ),
    ),
    "se": Region("Đông Nam Bộ", 0.0021, 0.0013, (("01", 0.93), ("04", 0.04), ("32", 0.01), ("22", 0.01), ("05", 0.01))),
    "mekong": Region("Đồng bằng sông Cửu Long", 0.025, 0.030, (("01", 0.92), ("05", 0.07), ("04", 0.01))),
}

PROVINCE_REGION = {
    **dict.fromkeys(["04", "08", "11", "12", "14", "15", "19", "20", "25"], "nmm"),
    **dict.fromkeys(["01", "22", "24", "31", "33", "37"], "rrd"),
    **dict.fromkeys(["38", "40", "42", "44", "46", "48", "51", "56"], "ncc"),
    **dict.fromkeys(["52", "66", "68"], "ch"),
    **dict.fromkeys(["75", "79", "80"], "se"),
    **dict.fromkeys(["82", "86", "91", "92", "96"], "mekong"),
}

FAMILY_NAMES = {
    "01": (
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
    ),
    "02": ("Hoàng", "Nông", "Lương", "Ma", "Hà"),
    "03": ("Lò", "Cầm", "Quàng", "Lường", "Tòng"),
    "04": ("Lâm", "Trương", "Quách", "Lý"),
    "05": ("Thạch", "Sơn", "Danh", "Kim"),
    "06": ("Bùi", "Đinh", "Quách", "Hà"),
    "07": ("Nông", "Hoàng", "Lương"),
    "08": ("Giàng", "Vàng", "Thào", "Sùng", "Lầu", "Mùa"),
    "09": ("Triệu", "Bàn", "Đặng"),
    "10": ("Ksor", "Rơ Châm", "Siu", "Rơ Mah"),
    "12": ("Niê", "Êban", "Mlô", "Byă"),
}
MALE_GIVEN = (
    "Văn An",
    "Văn Bình",
    "Đức Cường",
    "Văn Dũng",
    "Minh Đức",
    "Văn Hải",
    "Quang Huy",
    "Văn Hùng",
    "Văn Khánh",
    "Văn Long",
    "Văn Nam",
    "Văn Phúc",
    "Văn Quân",
    "Văn Sơn",
    "Văn Thắng",
    "Văn Tiến",
    "Văn Toàn",
    "Văn Trung",
    "Văn Tuấn",
    "Văn Việt",
)
FEMALE_GIVEN = (
    "Thị Anh",
    "Thị Bích",
    "Thị Chi",
    "Thị Dung",
    "Thị Giang",
    "Thị Hà",
    "Thị Hằng",
    "Thị Hoa",
    "Thị Hương",
    "Thị Lan",
    "Thị Liên",
    "Thị Mai",
    "Thị Ngọc",
    "Thị Nhung",
    "Thị Phương",
    "Thị Thảo",
    "Thị Thu",
    "Thị Trang",
    "Thị Tuyết",
    "Thị Yến",
)
