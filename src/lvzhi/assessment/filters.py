import django_filters

from lvzhi.core.forms import style_fields
from lvzhi.org.models import Department

from .models import Appeal, Assessment, Campaign


class StyledFilterSet(django_filters.FilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.form)


class CampaignFilter(StyledFilterSet):
    status = django_filters.ChoiceFilter(choices=Campaign.Status.choices, label="状态")
    kind = django_filters.ChoiceFilter(choices=Campaign.Kind.choices, label="周期类型")

    class Meta:
        model = Campaign
        fields = ["status", "kind"]


class AppealFilter(StyledFilterSet):
    status = django_filters.ChoiceFilter(choices=Appeal.Status.choices, label="状态")

    class Meta:
        model = Appeal
        fields = ["status"]


class AssessmentFilter(django_filters.FilterSet):
    """API filters: ``campaign`` (id), ``department`` (code), ``category``."""

    campaign = django_filters.NumberFilter(field_name="campaign_id")
    department = django_filters.CharFilter(field_name="department__code")
    category = django_filters.ChoiceFilter(choices=Department.Category.choices)

    class Meta:
        model = Assessment
        fields = ["campaign", "department", "category"]
