"""Domain operations of the reform module: the only code that changes its records. Pages, the API,
the commands and the demo all call these functions.

- ``processes``: process models, redesigns, adoption, actual case times
- ``staffing``: workload figures, violations opened as problems
- ``proposals``: 机构编制事项动议 and its flow, carried out into new 三定 versions
- ``evidence``: the evidence a proposal carries
- ``todos``: 待办 on the 工作台
"""
