"""English as merchants in the Netherlands and Belgium read it: day before month, 24-hour clock.

Django's own English formats are American (month first, a.m./p.m.); Dutch and French keep
Django's formats, which already put the day first.
"""

from __future__ import annotations

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1
