"""Code lists of Form B (causes of poverty, support needs), seeded from the domain reference (§5.7).

Confidence C: the official lists of Circular 07/2021 were not read; these follow two public
code repositories built on Đắk Nông data, so they are kept as plain, editable lists.
"""

CAUSES = {
    "no_land": "Không có / thiếu đất sản xuất",
    "no_capital": "Thiếu vốn sản xuất",
    "no_labour": "Thiếu lao động",
    "no_tools": "Thiếu công cụ, phương tiện sản xuất",
    "no_know_how": "Không biết cách làm ăn, thiếu kiến thức sản xuất",
    "no_skills": "Thiếu kỹ năng lao động",
    "illness": "Có người ốm đau, bệnh nặng, tai nạn",
    "other": "Khác",
}
NEEDS = {
    "health": "Y tế",
    "education": "Giáo dục",
    "production": "Hỗ trợ sản xuất",
    "credit": "Tín dụng",
    "housing": "Nhà ở",
    "other": "Khác",
}
CONFIDENCE = "C"
