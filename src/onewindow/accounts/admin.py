from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from onewindow.accounts.models import Applicant, Department, ServiceCentre, StaffAssignment, User


class StaffAssignmentInline(admin.TabularInline):
    model = StaffAssignment
    extra = 0


@admin.register(User)
class OneWindowUserAdmin(UserAdmin):
    inlines = [StaffAssignmentInline]
    fieldsets = (*UserAdmin.fieldsets, ("OneWindow", {"fields": ("phone",)}))  # type: ignore[misc]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "kind")
    search_fields = ("code", "name_zh", "name_en")


@admin.register(ServiceCentre)
class ServiceCentreAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "kind", "jurisdiction_code", "city_code")
    list_filter = ("kind", "city_code")
    search_fields = ("code", "name_zh", "name_en")


@admin.register(Applicant)
class ApplicantAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "owner", "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "uscc")
