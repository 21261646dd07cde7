from django.urls import path

from kinerja.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.agency_list, name="agency_list"),
    path("<int:agency_id>/", views.agency_detail, name="agency_detail"),
    path("<int:agency_id>/unit/baru/", views.unit_create, name="unit_create"),
    path("unit/<int:unit_id>/ubah/", views.unit_update, name="unit_update"),
    path("unit/<int:unit_id>/arsipkan/", views.unit_archive, name="unit_archive"),
    path("<int:agency_id>/jabatan/baru/", views.position_create, name="position_create"),
    path("jabatan/<int:position_id>/ubah/", views.position_update, name="position_update"),
    path(
        "jabatan/<int:position_id>/penugasan/baru/",
        views.assignment_create,
        name="assignment_create",
    ),
    path("penugasan/<int:assignment_id>/akhiri/", views.assignment_end, name="assignment_end"),
    path("<int:agency_id>/pegawai/", views.employee_list, name="employee_list"),
    path("<int:agency_id>/pegawai/baru/", views.employee_create, name="employee_create"),
    path("pegawai/<int:employee_id>/", views.employee_detail, name="employee_detail"),
    path("pegawai/<int:employee_id>/ubah/", views.employee_update, name="employee_update"),
    path("<int:agency_id>/tim/baru/", views.team_create, name="team_create"),
    path("tim/<int:team_id>/", views.team_detail, name="team_detail"),
    path("tim/<int:team_id>/anggota/", views.team_member_add, name="team_member_add"),
    path(
        "tim/anggota/<int:member_id>/keluarkan/",
        views.team_member_remove,
        name="team_member_remove",
    ),
]
