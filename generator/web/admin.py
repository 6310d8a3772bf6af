from django.contrib import admin

from generator.web import models


@admin.register(models.Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "parent", "code")
    list_filter = ("kind",)
    search_fields = ("name", "unit_name", "slug")


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "committee", "role")
    list_filter = ("role", "committee")


@admin.register(models.Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "committee", "type_id", "status", "number", "issued_on")
    list_filter = ("status", "type_id", "committee")
    # the register is the only way to give or change a number
    readonly_fields = ("number", "issued_on", "status")


@admin.register(models.RegisterEntry)
class RegisterEntryAdmin(admin.ModelAdmin):
    list_display = ("symbol", "committee", "year", "issued_on", "state")
    list_filter = ("state", "committee", "year")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "committee", "action", "object_type", "object_id")
    list_filter = ("action",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
