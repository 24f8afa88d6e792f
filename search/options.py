"""Click options shared by the commands of ``search.cli`` and ``web.serve``."""

from __future__ import annotations

from pathlib import Path

import click

index_option = click.option(
    "--index",
    "index_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Index directory [env PRESSEARCH_INDEX, default ./index].",
)
