"""Administrative units, dated: 63 provinces with districts before 1 July 2025, 34 provinces after."""
