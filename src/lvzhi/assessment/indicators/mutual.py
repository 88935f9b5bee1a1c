"""The mutual-evaluation indicator: what other departments said about this one, trimmed and
averaged (services.mutual.aggregate). The breakdown never names a rater."""

from ..models import MutualEvaluation, plain


def mutual_evaluation(department, period):
    from ..services.mutual import aggregate

    evaluations = MutualEvaluation.objects.filter(
        ratee=department, campaign__period=period.code, submitted_at__isnull=False
    ).select_related("campaign__framework")
    result = aggregate(evaluations)
    if result is None:
        return None
    lines = [
        ["收到评价", f"{result.count} 份（来自 {result.raters} 个部门，评价部门不公开）"],
        *[[f"{label}平均", f"{plain(avg)} 分（满分 {result.scale_max} 分）"] for label, avg in result.dimensions],
        ["单份评价得分", f"三项平均分 ÷ {result.scale_max} × 100"],
        ["去掉最高和最低", f"各 {result.trimmed} 份"],
        ["互评得分", f"{' + '.join(plain(s) for s in result.kept)} 的平均 = {plain(result.mean)} 分"
         if len(result.kept) <= 12 else f"{len(result.kept)} 份的平均 = {plain(result.mean)} 分"],
    ]
    return result.mean, lines
