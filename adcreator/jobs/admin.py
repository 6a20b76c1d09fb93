from django.contrib import admin, messages

from adcreator.jobs import registry, services
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
    actions = ["run_now", "cancel"]

    @admin.action(description="Cancel (stop the waiting or running run; what it made is kept)")
    def cancel(self, request, queryset):
        cancelled, idle = 0, []
        for job in queryset:
            try:
                services.job_cancel(job=job, user=request.user)
            except services.JobNotCancellableError:
                idle.append(job.pk)
            else:
                cancelled += 1
        self.message_user(request, f"Cancelled {cancelled} job(s).", messages.SUCCESS)
        if idle:
            self.message_user(request, f"Nothing to cancel, no run waiting or running: job(s) {idle}.",
                              messages.WARNING)

    @admin.action(description="Run now (queue a new run)")
    def run_now(self, request, queryset):
        queued, busy = 0, []
        for job in queryset:
            try:
                services.job_run_now(job=job, user=request.user)
            except services.JobBusyError:
                busy.append(job.pk)
            else:
                queued += 1
        self.message_user(request, f"Queued {queued} run(s).", messages.SUCCESS)
        if busy:
            self.message_user(request, f"Not queued, a run is already waiting or running: job(s) {busy}.",
                              messages.WARNING)


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["id", "job", "status", "progress", "attempts", "started_at", "finished_at"]
    list_filter = ["status", "job__job_type"]
    search_fields = ["id", "job__name", "error"]
    list_select_related = ["job"]
    readonly_fields = ["created_at", "started_at", "finished_at", "heartbeat_at", "queue_task_id"]

    @admin.display(description="Progress")
    def progress(self, run: JobRun) -> str:
        progress = registry.progress_of(run.job.job_type, run.metadata)
        if getattr(progress, "ads_total", None) is None:
            return progress.stage or "—"
        return f"{progress.ads_attempted}/{progress.ads_total} attempted"
