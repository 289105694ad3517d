from django.urls import path

from . import views

urlpatterns = [
    path("api/health", views.health),
    path("api/products/<int:product_id>", views.product),
    path("api/orders", views.place_order),
    path("api/restock", views.restock),
]
