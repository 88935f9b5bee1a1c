from django.urls import path

from .views import adjustments, checks, matters, powers

app_name = "duties"
urlpatterns = [
    # 职责边界清单
    path("matters/", matters.MatterListView.as_view(), name="matters"),
    path("matters/new/", matters.MatterCreateView.as_view(), name="matter-create"),
    path("matters/<str:code>/", matters.MatterDetailView.as_view(), name="matter"),
    path("matters/<str:code>/edit/", matters.MatterUpdateView.as_view(), name="matter-edit"),
    path("matters/<str:code>/publish/", matters.MatterPublishView.as_view(), name="matter-publish"),
    path("matters/<str:code>/delete/", matters.MatterDeleteView.as_view(), name="matter-delete"),
    path("matters/<str:code>/links/new/", matters.LinkCreateView.as_view(), name="link-create"),
    path("links/<int:pk>/edit/", matters.LinkUpdateView.as_view(), name="link-edit"),
    path("links/<int:pk>/action/", matters.LinkActionView.as_view(), name="link-action"),
    path("links/<int:pk>/points/new/", matters.PointCreateView.as_view(), name="point-create"),
    path("points/<int:pk>/edit/", matters.PointUpdateView.as_view(), name="point-edit"),
    path("points/<int:pk>/action/", matters.PointActionView.as_view(), name="point-action"),
    # 权责清单
    path("powers/", powers.PowerListListView.as_view(), name="power-lists"),
    path("powers/items/", powers.PowerItemListView.as_view(), name="power-items"),
    path("powers/items/<int:pk>/", powers.PowerItemDetailView.as_view(), name="power-item"),
    path("powers/import/", powers.PowerImportView.as_view(), name="power-import"),
    path("powers/export/", powers.PowerExportView.as_view(), name="power-export"),
    path("powers/stats/", powers.PowerStatsView.as_view(), name="power-stats"),
    path("powers/<int:pk>/", powers.PowerListDetailView.as_view(), name="power-list"),
    path("powers/<int:pk>/publish/", powers.PublishView.as_view(), name="power-publish"),
    path("powers/<int:pk>/discard-draft/", powers.DiscardDraftView.as_view(), name="power-discard-draft"),
    path("powers/<int:pk>/adjustments/new/", adjustments.AdjustmentCreateView.as_view(), name="adjustment-create"),
    path("editions/<int:pk>/", powers.EditionDetailView.as_view(), name="edition"),
    path("editions/<int:pk>/diff/", powers.EditionDiffView.as_view(), name="edition-diff"),
    path("adjustments/", adjustments.AdjustmentListView.as_view(), name="adjustments"),
    path("adjustments/<int:pk>/", adjustments.AdjustmentDetailView.as_view(), name="adjustment"),
    path("adjustments/<int:pk>/edit/", adjustments.AdjustmentUpdateView.as_view(), name="adjustment-edit"),
    path("adjustments/<int:pk>/action/", adjustments.AdjustmentActionView.as_view(), name="adjustment-action"),
    path("adjustments/<int:pk>/delete/", adjustments.AdjustmentDeleteView.as_view(), name="adjustment-delete"),
    # 职责任务清单 and 三定执行检查
    path("tasks/", checks.TaskListView.as_view(), name="tasks"),
    path("departments/<str:code>/tasks/", checks.DepartmentTasksView.as_view(), name="department-tasks"),
    path("duties/<int:pk>/tasks/new/", checks.TaskCreateView.as_view(), name="task-create"),
    path("tasks/<int:pk>/edit/", checks.TaskUpdateView.as_view(), name="task-edit"),
    path("tasks/<int:pk>/delete/", checks.TaskDeleteView.as_view(), name="task-delete"),
    path("checks/", checks.CheckListView.as_view(), name="checks"),
    path("checks/sheet/", checks.CheckSheetView.as_view(), name="check-sheet"),
    path("checks/start/", checks.CheckStartView.as_view(), name="check-start"),
    path("checks/stats/", checks.CheckStatsView.as_view(), name="check-stats"),
    path("checks/<int:pk>/", checks.CheckDetailView.as_view(), name="check"),
    path("checks/<int:pk>/edit/", checks.CheckUpdateView.as_view(), name="check-edit"),
    path("checks/<int:pk>/evidence/", checks.CheckEvidenceView.as_view(), name="check-evidence"),
    path("checks/<int:pk>/action/", checks.CheckActionView.as_view(), name="check-action"),
    path("checks/<int:pk>/followup/", checks.CheckFollowupView.as_view(), name="check-followup"),
]
