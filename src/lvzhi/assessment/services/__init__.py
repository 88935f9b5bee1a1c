"""Domain operations of the assessment app: the only code that changes its records. Pages, the API,
the ``lvzhi campaign`` command and the demo all call these functions.

- ``campaigns``: create, open, score, publish (state table in its docstring)
- ``scores``: a criterion's self-assessment, evidence and review (state table in its docstring)
- ``scoring``: the arithmetic from indicators and review scores to points, totals, stars, ranks
- ``appeals``: appeals after publication and the office's decision
- ``mutual``: mutual evaluations and their anonymous aggregates
- ``results``: what each user may see of the results; dashboard and trend figures
"""
