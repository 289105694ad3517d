from django.urls import path

from . import views

urlpatterns = [
    path("api/health", views.health),
    path("api/sources/<str:source_id>/import", views.import_artifacts),
    path("api/catalog/<int:entry_id>", views.update_catalog_entry),
    path("api/artifacts", views.list_artifacts),
]
