from django.urls import path

from kinerja.planning import views

app_name = "planning"
urlpatterns = [
    path("indikator/", views.indicator_list, name="indicator_list"),
    path("indikator/baru/", views.indicator_create, name="indicator_create"),
    path("indikator/<int:indicator_id>/", views.indicator_detail, name="indicator_detail"),
    path("indikator/<int:indicator_id>/ubah/", views.indicator_update, name="indicator_update"),
    path("indikator/<int:indicator_id>/target/", views.annual_target_set, name="annual_target_set"),
    path("perjanjian-kinerja/", views.agreement_list, name="agreement_list"),
    path("perjanjian-kinerja/baru/", views.agreement_create, name="agreement_create"),
    path("perjanjian-kinerja/<int:agreement_id>/", views.agreement_detail, name="agreement_detail"),
    path(
        "perjanjian-kinerja/<int:agreement_id>/indikator/",
        views.agreement_line_add,
        name="agreement_line_add",
    ),
    path(
        "perjanjian-kinerja/baris/<int:line_id>/",
        views.agreement_line_update,
        name="agreement_line_update",
    ),
    path(
        "perjanjian-kinerja/<int:agreement_id>/program/",
        views.agreement_program_add,
        name="agreement_program_add",
    ),
    path(
        "perjanjian-kinerja/<int:agreement_id>/tanda-tangan/",
        views.agreement_sign,
        name="agreement_sign",
    ),
    path(
        "perjanjian-kinerja/<int:agreement_id>/perubahan/",
        views.agreement_revise,
        name="agreement_revise",
    ),
    path(
        "perjanjian-kinerja/<int:agreement_id>/cetak/",
        views.agreement_print,
        name="agreement_print",
    ),
    path("perjanjian-kinerja/<int:agreement_id>/pdf/", views.agreement_pdf, name="agreement_pdf"),
    path(
        "rencana-aksi/<int:line_id>/tw<int:quarter>/",
        views.quarterly_target_cell,
        name="quarterly_target_cell",
    ),
    path("iki/", views.individual_indicator_list, name="individual_indicator_list"),
    path("iki/baru/", views.individual_indicator_create, name="individual_indicator_create"),
    path(
        "iki/<int:individual_indicator_id>/ubah/",
        views.individual_indicator_update,
        name="individual_indicator_update",
    ),
]
