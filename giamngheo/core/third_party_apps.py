"""Third-party apps under names in the reader's language: their own names are English words
("Axes", "Tasks Database Backend") that no catalogue translates, so the admin's Vietnamese page
showed them in English. Listed in INSTALLED_APPS in place of the apps' own configs."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class Axes(AxesAppConfig):
    verbose_name = _("Chống dò mật khẩu")


class Tasks(TasksAppConfig):
    verbose_name = _("Việc chạy nền")
