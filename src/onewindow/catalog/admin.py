from django.contrib import admin

from onewindow.catalog.models import MaterialRequirement, MaterialType, Pack, ServiceItem


class MaterialRequirementInline(admin.TabularInline):
    model = MaterialRequirement
    extra = 0


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name_zh",
        "department",
        "level",
        "legal_days",
        "promised_days",
        "is_active",
    )
    list_filter = ("level", "department", "is_active")
    search_fields = ("code", "name_zh", "name_en")
    inlines = [MaterialRequirementInline]


@admin.register(MaterialType)
class MaterialTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en")
    search_fields = ("code", "name_zh", "name_en")


@admin.register(Pack)
class PackAdmin(admin.ModelAdmin):
    list_display = ("code", "version", "title_zh", "content_hash", "loaded_at")
    readonly_fields = ("content_hash", "loaded_at")
