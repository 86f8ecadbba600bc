"""Compile the page's gettext catalogues (.po -> .mo) when the package is built, wheel or editable install."""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogues(BuildHookInterface):
    PLUGIN_NAME = "compile-catalogues"

    def initialize(self, version: str, build_data: dict) -> None:
        from babel.messages import mofile, pofile

        root = Path(self.root) / "generator" / "web" / "translations"
        for po_path in sorted(root.glob("*/LC_MESSAGES/messages.po")):
            with po_path.open("rb") as source:
                catalogue = pofile.read_po(source, locale=po_path.parent.parent.name)
            with po_path.with_suffix(".mo").open("wb") as target:
                mofile.write_mo(target, catalogue, use_fuzzy=False)
