"""The dashboard's data-access layer: cached reads keyed on data version, filters, scope.

Pages never query the warehouse themselves: they call :func:`app.data.reads.read`
(or the ranking adapter of :mod:`app.data.rankings`), which runs a metrics
function ``(cur, *, filters, scope)`` once per (data version, filters,
access scope) and caches its small, aggregated frame.
"""
