"""Turn a bureau's published plan text into sections, tasks, targets and departments.

The entry points are ``plans.importers.text.parse_plan(text) -> dict`` and
``plans.importers.text.has_structure(result) -> bool``; ``python -m plans.importers.text FILE``
prints the JSON. They are not re-exported here so that running the module with ``-m`` does
not import it twice.
"""
