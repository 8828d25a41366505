"""Configuration survives upgrades: what an administrator is told to edit
(stages and their gates, channels, principles, mail templates, sequences,
scheduled actions) is shipped as noupdate data."""

from odoo.modules.module import get_manifest
from odoo.tests import tagged
from odoo.tools.convert import convert_file

from .common import ComplaintCase

MODULE = "complaint_management"


@tagged("post_install", "-at_install")
class TestUpgradeKeepsConfiguration(ComplaintCase):
    def _upgrade_data(self):
        """Load the module's data files as ``-u complaint_management`` does:
        odoo.modules.loading.load_data() calls convert_file() in mode
        'update', noupdate=False (only demo data is loaded noupdate), as
        superuser, in the manifest's order."""
        files = [f for f in get_manifest(MODULE)["data"] if f.startswith("data/")]
        self.assertIn("data/complaint_stage_data.xml", files)
        idref = {}
        for filename in files:
            convert_file(
                self.env(su=True), MODULE, filename, idref, "update", noupdate=False
            )
        self.env.invalidate_all()

    def test_upgrade_keeps_stage_channel_and_principle_changes(self):
        stage = self.stage["assessed"]
        self.assertTrue(stage.require_severity)
        stage.write({"name": "Triage done", "require_severity": False})
        self.stage["closed"].require_customer_reaction = False
        channel = self.env.ref("complaint_management.complaint_channel_walk_in")
        channel.name = "Front desk"
        principle = self.env.ref(
            "complaint_management.complaint_principle_confidentiality"
        )
        principle.name = "Discretion"
        template = self.env.ref(
            "complaint_management.mail_template_complaint_acknowledgement"
        )
        template.subject = "We got it"

        self._upgrade_data()

        self.assertEqual(stage.name, "Triage done")
        self.assertFalse(stage.require_severity)
        self.assertTrue(stage.require_handler, "untouched flags stay as they were")
        self.assertFalse(self.stage["closed"].require_customer_reaction)
        self.assertEqual(channel.name, "Front desk")
        self.assertEqual(principle.name, "Discretion")
        self.assertEqual(template.subject, "We got it")
