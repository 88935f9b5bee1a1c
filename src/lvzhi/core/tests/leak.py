from django.core.files.base import ContentFile

from lvzhi.core.models import Job, Notification, StoredFile


def populate(department, user, marker):
    Notification.objects.create(recipient=user, title=f"{marker}的消息", body=marker)
    stored = StoredFile(name=f"{marker}.txt", size=len(marker.encode()), sha256="0" * 64, content_type="text/plain",
                        uploaded_by=user, owner=department)
    stored.file.save("leak.txt", ContentFile(marker.encode()), save=False)
    stored.save()
    Job.objects.create(kind="test", title=f"{marker}的任务", created_by=user)
