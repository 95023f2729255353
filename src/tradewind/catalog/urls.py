from django.urls import path

from tradewind.catalog import views, views_import

app_name = "catalog"
urlpatterns = [
    path("", views.product_list, name="product-list"),
    path("new/", views.product_create, name="product-create"),
    path("export/", views.product_export, name="product-export"),
    path("import/", views_import.product_import, name="product-import"),
    path("import/run/", views_import.product_import_run, name="product-import-run"),
    path("<int:pk>/", views.product_detail, name="product-detail"),
    path("<int:pk>/edit/", views.product_edit, name="product-edit"),
    path("<int:pk>/active/", views.product_set_active, name="product-set-active"),
    path("<int:pk>/photos/", views.photo_add, name="photo-add"),
    path("photos/<int:pk>/", views.photo_file, name="photo-file"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo-delete"),
    path("photos/<int:pk>/move/", views.photo_move, name="photo-move"),
    path("hs-codes/", views.hs_code_list, name="hs-code-list"),
    path("hs-codes/<str:code>/", views.hs_code_edit, name="hs-code-edit"),
]
