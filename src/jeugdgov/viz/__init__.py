"""Pictures of a setup: the networks drawn with the findings outlined and numbered.

- :func:`figure`: one network of a setup as a matplotlib figure; :func:`compare`: several
  setups (phases, models) side by side; :func:`figure_of`: views prepared with :func:`prepare`
  in one figure;
- :func:`html`: an interactive page (pyvis); :func:`write`: a picture to a .png, .svg or
  .html file;
- :func:`pictures_of`: each setup's pictures as inline SVG, for the council report.

The names are looked up when first used, so that a command that only needs the views does not
load matplotlib.
"""

from __future__ import annotations

from importlib import import_module

#: The public names, and the module of each.
_MODULES = {"figure": "static", "compare": "static", "figure_of": "static", "html": "static", "write": "static",
            "prepare": "views", "View": "views", "pictures_of": "inline"}

__all__ = sorted(_MODULES)


def __getattr__(name: str) -> object:
    if name not in _MODULES:
        raise AttributeError(f"module 'jeugdgov.viz' has no attribute '{name}'")
    return getattr(import_module(f"jeugdgov.viz.{_MODULES[name]}"), name)
