from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "総合計画ポータル 管理画面"
admin.site.site_title = "総合計画ポータル 管理"
admin.site.index_title = "管理メニュー"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("downloads/", include("exports.urls")),
    path("", include("portal.urls")),
]
