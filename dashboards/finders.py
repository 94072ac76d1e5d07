"""Serve plotly.js from the plotly Python package itself: no CDN, no copy in the repository.

The cockpit's charts need the plotly.js that matches the plotly.py that drew them; the
package ships it as ``plotly/package_data/plotly.min.js``. This finder exposes that one
file under the static path ``plotly/plotly.min.js``, so ``{% static %}``, ``runserver``,
WhiteNoise (which asks the finders in development) and ``collectstatic`` all find it, and
upgrading plotly upgrades the script with it.
"""

from __future__ import annotations

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

STATIC_PATH = "plotly/plotly.min.js"
PACKAGE_DATA = Path(plotly.__file__).resolve().parent / "package_data"
FILE_NAME = "plotly.min.js"


class PlotlyFinder(BaseFinder):
    """Finds exactly one file: plotly.min.js from the installed plotly package."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=PACKAGE_DATA)
        # collectstatic copies a listed file to `prefix/path`: plotly/plotly.min.js
        self.storage.prefix = "plotly"

    def check(self, **kwargs) -> list[Error]:
        if not (PACKAGE_DATA / FILE_NAME).is_file():
            return [Error(f"{PACKAGE_DATA / FILE_NAME} is missing: reinstall plotly.", id="dashboards.E001")]
        return []

    def find(self, path: str, find_all: bool = False, **kwargs) -> str | list[str]:
        if path != STATIC_PATH:
            return []  # as Django's own finders answer "not here", whatever find_all
        found = str(PACKAGE_DATA / FILE_NAME)
        return [found] if find_all else found

    def list(self, ignore_patterns):
        yield FILE_NAME, self.storage
