"""Pages of the assessment app, split by concept: campaigns, scores (assessment, criterion,
appeals), evaluations (相互评价) and results (dashboard, 通报, performance export)."""
