"""Which tables make SingleStore refuse ``SELECT ... FOR UPDATE``.

SingleStore refuses FOR UPDATE when the query joins or subselects a
columnstore table (``Feature 'FOR UPDATE with subselect or join involving a
columnstore table' is not supported by SingleStore``, error 1706). The
system check singlestore.I004 and the compiler's refusal both ask this
module which of a query's tables are columnstore, from each model's
TablePlan.
"""

from .tables import PlanError, plan_for


def columnstore_tables(models, settings=None):
    """The db_table of each of ``models`` planned as columnstore, in order.

    None when one of them has no plan (a SINGLESTORE entry that cannot apply:
    its own check reports it), since the answer is then unknown.
    """
    tables = []
    for model in models:
        try:
            plan = plan_for(model, settings)
        except PlanError:
            return None
        if plan.columnstore:
            tables.append(model._meta.db_table)
    return tables
