"""Ships the top-level ontology/, shapes/, queries/, mapping/, data/ and the published ontology
(docs/ontology/, which ``jeugdgov serve`` answers /def from) inside the wheel.

The repository keeps them where the design puts them, beside src/; the build copies them into
``jeugdgov/assets/`` so that an installed package (not only a checkout) finds them.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ASSETS = ("ontology", "shapes", "queries", "mapping", "data", "docs/ontology")


class BuildWithAssets(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads them from the checkout itself
            return
        root = Path(__file__).resolve().parent
        for folder in ASSETS:
            target = Path(self.build_lib) / "jeugdgov" / "assets" / folder
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(root / folder, target, ignore=shutil.ignore_patterns(".*", "__pycache__"))


setup(cmdclass={"build_py": BuildWithAssets})
