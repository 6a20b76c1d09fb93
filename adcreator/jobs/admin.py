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

    def _apply(self, request, queryset, act, refused: type[Exception], done: str, refused_note: str) -> None:
        """`act` on each job through its service; the jobs it refuses are named, not failed."""
        applied, skipped = 0, []
        for job in queryset:
            try:
                act(job=job, user=request.user)
            except refused:
                skipped.append(job.pk)
            else:
                applied += 1
        self.message_user(request, done.format(applied), messages.SUCCESS)
        if skipped:
            self.message_user(request, f"{refused_note}: job(s) {skipped}.", messages.WARNING)

    @admin.action(description="Cancel (stop the waiting or running run; what it made is kept)")
    def cancel(self, request, queryset):
        self._apply(request, queryset, services.job_cancel, services.JobNotCancellableError,
                    "Cancelled {} job(s).", "Nothing to cancel, no run waiting or running")

    @admin.action(description="Run now (queue a new run)")
    def run_now(self, request, queryset):
        self._apply(request, queryset, services.job_run_now, services.JobBusyError,
                    "Queued {} run(s).", "Not queued, a run is already waiting or running")


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
