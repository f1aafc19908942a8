"""Where kg's shipped files are: ``models/`` at the root of a checkout (an editable install,
as the README's commands make), or ``kg/models`` inside an installed wheel, which carries a
copy of them (pyproject.toml maps ``models/`` to the package ``kg.models``).

Every module reads the models, the gazetteer and the lexicons from :data:`MODELS`; only
``kg train`` writes, and it writes into the checkout.
"""
from __future__ import annotations

from pathlib import Path

#: ``models/`` of the checkout this module sits in
CHECKOUT_MODELS = Path(__file__).resolve().parent.parent / "models"
#: the copy of ``models/`` an installed wheel carries
PACKAGED_MODELS = Path(__file__).resolve().parent / "models"


def find_models() -> Path:
    """The checkout's ``models/`` when this is a checkout, else the wheel's ``kg/models``; the
    checkout's when neither holds kg's files (so errors name the folder ``kg train`` fills)."""
    for folder in (CHECKOUT_MODELS, PACKAGED_MODELS):
        if (folder / "places.tsv").is_file():  # a file every release ships; another project's models/ lacks it
            return folder
    return CHECKOUT_MODELS


MODELS = find_models()
