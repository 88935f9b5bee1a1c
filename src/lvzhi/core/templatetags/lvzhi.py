from django import template

register = template.Library()


@register.filter
def model_label(content_type):
    """Chinese name of the model behind a ContentType (for the audit log)."""
    model = content_type.model_class() if content_type else None
    return model._meta.verbose_name if model else getattr(content_type, "model", "")
