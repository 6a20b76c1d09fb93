from django.contrib import admin, messages

from adcreator.jobs import services
from adcreator.jobs.models import Job, JobRun


class JobRunInline(admin.TabularInline):
    model = JobRun
    extra = 0
    fields = ["status", "attempts", "created_at", "started_at", "finished_at", "error"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "job_type", "name", "organization", "brand", "created_by", "created_at"]
    list_filter = ["job_type", "organization"]
    search_fields = ["name", "id"]
    list_select_related = ["organization", "brand", "created_by"]
    readonly_fields = ["created_at"]
    inlines = [JobRunInline]
    actions = ["run_now"]

    @admin.action(description="Run now (queue a new run)")
    def run_now(self, request, queryset):
        for job in queryset:
            services.job_run_enqueue(job=job)
        self.message_user(request, f"Queued {queryset.count()} run(s).", messages.SUCCESS)


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["id", "job", "status", "progress", "attempts", "started_at", "finished_at"]
    list_filter = ["status", "job__job_type"]
    search_fields = ["id", "job__name", "error"]
    list_select_related = ["job"]
    readonly_fields = ["created_at", "started_at", "finished_at", "heartbeat_at", "queue_task_id"]

    @admin.display(description="Progress")
    def progress(self, run: JobRun) -> str:
        meta = run.metadata or {}
        if "ads_attempted" not in meta:
            return "—"
        return f"{meta.get('ads_attempted', 0)}/{meta.get('ads_total', '?')} attempted"
