from django.contrib.auth import views as auth_views
from django.urls import path

from . import exchange_views as xv
from . import plan_views as plans
from . import policy_views as pv
from . import registry_views as reg
from . import report_views as reports
from . import review_views as rv
from . import views
from .auth_views import LoginView, PasswordChangeDoneView, PasswordChangeView
from .delivery_views import delivery_import
from .health_views import health_page, metrics_page
from .norm_views import province_norms
from .two_factor_views import two_factor_enrol, two_factor_page

urlpatterns = [
    path("", views.home, name="home"),
    path("suc-khoe/", health_page, name="health"),
    path("chi-so/", metrics_page, name="metrics"),
    path("dang-nhap/", LoginView.as_view(), name="login"),
    path("xac-thuc/", two_factor_page, name="two_factor"),
    path("xac-thuc/dang-ky/", two_factor_enrol, name="two_factor_enrol"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("xa/<int:unit_id>/ho/", views.household_list, name="household_list"),
    path("xa/<int:unit_id>/ho/tai-ve.<str:fmt>", views.household_list_download, name="household_list_download"),
    path("xa/<int:unit_id>/thon/", views.village_add, name="village_add"),
    path("xa/<int:unit_id>/ho/them/", reg.household_add, name="household_add"),
    path("ho/<str:household_id>/", views.household_detail, name="household_detail"),
    path("ho/<str:household_id>/thanh-vien/them/", reg.member_add, name="member_add"),
    path("ho/<str:household_id>/thanh-vien/<str:member_id>/roi-ho/", reg.member_leave, name="member_leave"),
    path("ho/<str:household_id>/tach/", reg.household_split, name="household_split"),
    path("ho/<str:household_id>/nhap/", reg.household_merge, name="household_merge"),
    path("ho/<str:household_id>/sua/", views.household_edit, name="household_edit"),
    path("ho/<str:household_id>/nhat-ky/", views.household_audit, name="household_audit"),
    path("ho/<str:household_id>/tham-ho/", plans.visit_add, name="visit_add"),
    path("giup-do/", plans.helper_households, name="helper_households"),
    path("xa/<int:unit_id>/chua-tham/", plans.visits_overdue, name="visits_overdue"),
    path("nguoi-dung/<str:username>/nhat-ky/", views.user_audit, name="user_audit"),
    path("xa/<int:unit_id>/ra-soat/", rv.rounds, name="rounds"),
    path("ra-soat/<int:round_id>/", rv.round_detail, name="round_detail"),
    path("ra-soat/<int:round_id>/chuyen-buoc/", rv.round_advance, name="round_advance"),
    path("ra-soat/<int:round_id>/chuan-ngheo/", rv.round_standard, name="round_standard"),
    path("ra-soat/<int:round_id>/ho/<int:listed_id>/phieu-a/", rv.form_a, name="form_a"),
    path("ra-soat/<int:round_id>/ho/<int:listed_id>/phieu-b/", rv.form_b, name="form_b"),
    path("ra-soat/<int:round_id>/hop-dan/", rv.meeting, name="meeting"),
    path("ra-soat/<int:round_id>/cong-nhan/", rv.recognise, name="recognise"),
    path("ra-soat/<int:round_id>/tai-lieu/", rv.documents, name="documents"),
    path("tai-lieu/<str:token>/", rv.job_progress, name="job_progress"),
    path("tien-do-ra-soat/", rv.progress, name="review_progress"),
    path("mau-nhap-lieu/", xv.template_download, name="template_download"),
    path("xa/<int:unit_id>/nhap-du-lieu/", xv.import_upload, name="import_upload"),
    path("xa/<int:unit_id>/ghi-quyet-dinh/", xv.decision_import, name="decision_import"),
    path("don-vi/<int:unit_id>/nhap-chi-tra/", delivery_import, name="delivery_import"),
    path("tinh/<int:unit_id>/dinh-muc/", province_norms, name="province_norms"),
    path("nhap-du-lieu/<int:job_id>/", xv.import_job, name="import_job"),
    path("nhap-du-lieu/<int:job_id>/tep-loi/", xv.import_marked, name="import_marked"),
    path("xa/<int:unit_id>/so-theo-doi/", rv.register, name="register"),
    path("xa/<int:unit_id>/so-theo-doi/tai-ve.<str:fmt>", rv.register_download, name="register_download"),
    path("ho/<str:household_id>/de-nghi/", rv.request_add, name="request_add"),
    path("ra-soat/<int:round_id>/ho/<int:listed_id>/khieu-nai/", rv.complaints, name="complaints"),
    path("ra-soat/<int:round_id>/viec-cua-toi/", rv.my_households, name="my_households"),
    path("ra-soat/<int:round_id>/giao-viec/", rv.round_assign, name="round_assign"),
    path(
        "ra-soat/<int:round_id>/khieu-nai/<int:complaint_id>/phuc-tra/", rv.complaint_recheck, name="complaint_recheck"
    ),
    path("tai-lieu/<str:token>/tai-ve/", rv.job_download, name="job_download"),
    path("don-vi/<int:unit_id>/ho-tro/doi-tuong/", pv.policy_eligible, name="policy_eligible"),
    path(
        "don-vi/<int:unit_id>/ho-tro/doi-tuong/tai-ve.<str:fmt>",
        pv.policy_eligible_download,
        name="policy_eligible_download",
    ),
    path("don-vi/<int:unit_id>/ho-tro/so/", pv.benefit_ledger, name="benefit_ledger"),
    path("don-vi/<int:unit_id>/ho-tro/so/tai-ve.<str:fmt>", pv.benefit_ledger_download, name="benefit_ledger_download"),
    path("don-vi/<int:unit_id>/ho-tro/<slug:kind>/", pv.policy_findings, name="policy_findings"),
    path(
        "don-vi/<int:unit_id>/ho-tro/<slug:kind>/tai-ve.<str:fmt>",
        pv.policy_findings_download,
        name="policy_findings_download",
    ),
    path("ho/<str:household_id>/ho-tro/ghi/", pv.benefit_add, name="benefit_add"),
    path("ho/<str:household_id>/ho-tro/<int:benefit_id>/dao/", pv.benefit_reverse, name="benefit_reverse"),
    path("ho/<str:household_id>/ho-tro/<int:benefit_id>/kiem-tra-vay/", pv.loan_check, name="loan_check"),
    path("bao-cao/", reports.report_index, name="reports"),
    path("bao-cao/tep/<str:token>/", reports.report_job, name="report_job"),
    path("bao-cao/tep/<str:token>/tai-ve/", reports.report_job_download, name="report_job_download"),
    path("bao-cao/chay-thu/", reports.whatif, name="whatif"),
    path("bao-cao/don-vi/", reports.unit_search, name="unit_search"),
    path("bao-cao/<slug:name>/", reports.report_page, name="report"),
    path("bang-dieu-khien/", reports.dashboard, name="dashboard"),
]
