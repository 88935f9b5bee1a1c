"""Daily jobs: each app registers what must run once a day (deadline reminders, nightly hotline
follow-ups) in its ``AppConfig.ready``; ``lvzhi scheduler`` runs them in order. A job returns a
short Chinese summary of what it did and must be safe to run more than once a day."""

DAILY_JOBS = []


def register_daily_job(name, job):
    """``name`` is shown in the log and the command's output; ``job()`` returns a summary."""
    if all(existing is not job for _, existing in DAILY_JOBS):
        DAILY_JOBS.append((name, job))
