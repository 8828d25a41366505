from lxml import etree

from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestInstall(ComplaintCase):
    def test_principles_loaded(self):
        principles = self.env["complaint.principle"].search([])
        self.assertEqual(len(principles), 14)
        self.assertEqual(
            sorted(principles.mapped("clause"), key=lambda c: int(c.split(".")[1])),
            [f"4.{n}" for n in range(2, 16)],
        )

    def test_stages_cover_every_step(self):
        steps = set(self.env["complaint.stage"].search([]).mapped("step"))
        self.assertEqual(
            steps,
            {
                "new",
                "acknowledged",
                "assessed",
                "investigating",
                "responded",
                "decided",
                "closed",
            },
        )
        self.assertTrue(self.stage["waiting"].pause_sla)

    def test_channels_shipped(self):
        codes = set(self.env["complaint.channel"].search([]).mapped("code"))
        self.assertLessEqual(
            {"portal", "web", "email", "phone", "walk_in", "letter", "ticket"}, codes
        )

    def test_every_model_has_access_rules(self):
        for module in ("complaint_management", "complaint_management_reports"):
            models = self.env["ir.model.data"].search(
                [("module", "=", module), ("model", "=", "ir.model")]
            )
            for model in self.env["ir.model"].browse(models.mapped("res_id")):
                if self.env[model.model]._abstract:
                    continue
                self.assertTrue(
                    model.access_ids, f"model {model.model} has no access rules"
                )

    def test_reference_from_sequence(self):
        first = self._create_complaint()
        second = self._create_complaint()
        self.assertTrue(first.reference.startswith("CMP/"))
        self.assertNotEqual(first.reference, second.reference)

    def test_every_scheduled_action_in_one_file(self):
        """All scheduled actions of the addons are in data/ir_cron_data.xml,
        not updated by a module update (noupdate: what an administrator
        changes, e.g. the interval, survives)."""
        root = etree.parse(
            file_path("complaint_management/data/ir_cron_data.xml")
        ).getroot()
        self.assertEqual(root.get("noupdate"), "1")
        in_file = {
            record.get("id")
            for record in root.iter("record")
            if record.get("model") == "ir.cron"
        }
        shipped = self.env["ir.model.data"].search(
            [
                ("model", "=", "ir.cron"),
                (
                    "module",
                    "in",
                    ("complaint_management", "complaint_management_reports"),
                ),
            ]
        )
        self.assertEqual(set(shipped.mapped("module")), {"complaint_management"})
        self.assertEqual(set(shipped.mapped("name")), in_file)
        self.assertTrue(all(shipped.mapped("noupdate")))
        self.assertIn("ir_cron_complaint_regulatory_clock", in_file)
