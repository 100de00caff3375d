"""Pure, vectorised normalisers from what users type to canonical values.

Each topic module offers an expression builder (``*_expr``: Utf8 expression
in, typed expression out, null where blank or unreadable), a Series wrapper
returning :class:`~datasets.normalise.apply.Parsed` (values and the mask of
non-blank cells that could not be read), and a scalar helper for tests.

- :mod:`~datasets.normalise.width`: full-width -> half-width, dashes, blanks
- :mod:`~datasets.normalise.codes`: standard codes
- :mod:`~datasets.normalise.text`: free text, lists of codes
- :mod:`~datasets.normalise.dates`: dates and reporting periods
- :mod:`~datasets.normalise.numbers`: integers, money, decimals, percentages
- :mod:`~datasets.normalise.choices`: enums, yes/no, Likert, organisation types
- :mod:`~datasets.normalise.regions`: province-level regions

Import from the topic modules (``from datasets.normalise.codes import
normalise_code``): this package initialiser imports nothing, so that the
reference data, which itself needs the code normaliser, can be read by
the choice and region normalisers without an import cycle.
"""
