"""Databases installed before the configuration became ``noupdate`` data
(stages and their gates, channels, principles, mail templates, sequences,
scheduled actions) keep ``noupdate=False`` on those records, and an upgrade
would overwrite what their administrator changed. Before this version's data
is loaded, flag every record of the module's noupdate data files as
``noupdate``, as a fresh install does."""

import logging

from lxml import etree

from odoo.modules.module import get_manifest
from odoo.tools.misc import file_path

_logger = logging.getLogger(__name__)

MODULE = "complaint_management"


def noupdate_xmlids(cr):
    """The xml ids (without the module) of the records the module's data
    files declare in a ``noupdate`` block."""
    names = set()
    for filename in get_manifest(MODULE)["data"]:
        if not filename.endswith(".xml"):
            continue
        root = etree.parse(file_path(f"{MODULE}/{filename}")).getroot()
        blocks = [root, *root.iterchildren("data")]
        for block in blocks:
            if block.get("noupdate") not in ("1", "True", "true"):
                continue
            for node in block.iterchildren("record", "template", "menuitem"):
                xmlid = node.get("id")
                if not xmlid:
                    continue
                module, _dot, name = xmlid.rpartition(".")
                if module in ("", MODULE):
                    names.add(name)
    return names


def migrate(cr, version):
    if not version:
        return
    names = noupdate_xmlids(cr)
    if not names:
        return
    cr.execute(
        "UPDATE ir_model_data SET noupdate = TRUE "
        "WHERE module = %s AND name IN %s AND noupdate IS NOT TRUE",
        (MODULE, tuple(names)),
    )
    _logger.info("%s: %s configuration records flagged noupdate", MODULE, cr.rowcount)
