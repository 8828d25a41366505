"""Each capability of a complaint in its own file; the demo story loaded by
the demo data only; the status-update sweep in committed batches."""

import inspect
import os
from datetime import timedelta
from unittest.mock import patch

from lxml import etree

from odoo import fields
from odoo.tests import tagged
from odoo.tools.misc import file_path

from ..demo import story
from ..models import cron_batches
from .common import ComplaintCase

# capability -> (abstract model mixed into complaint.complaint, its file)
CAPABILITIES = {
    "anonymity": ("complaint.anonymity", "complaint_anonymity.py"),
    "intake by e-mail": ("complaint.mail.gateway", "complaint_mail_gateway.py"),
    "legal clock": ("complaint.regulatory.clock", "complaint_regulatory_clock.py"),
    "privacy": ("complaint.privacy", "complaint_privacy.py"),
    "SLA": ("complaint.sla.mixin", "complaint_sla_mixin.py"),
    "letters": ("complaint.letters.mixin", "complaint_letters_mixin.py"),
    "status updates": ("complaint.status.update", "complaint_status_update.py"),
    "customer dates": ("complaint.customer.date", "complaint_customer_date.py"),
    "appeals": ("complaint.appeal", "complaint_appeal.py"),
    "improvement loop": ("complaint.improvement", "complaint_improvement.py"),
}
STATUS_UPDATE_CRON = "complaint_management.ir_cron_complaint_status_update"


def defining_file(cls):
    return os.path.basename(inspect.getfile(cls))


@tagged("post_install", "-at_install")
class TestArchitecture(ComplaintCase):
    def test_capabilities_in_their_files(self):
        Complaint = self.env["complaint.complaint"]
        for capability, (model, filename) in CAPABILITIES.items():
            with self.subTest(capability=capability):
                self.assertTrue(issubclass(type(Complaint), type(self.env[model])))
                self.assertEqual(
                    {
                        defining_file(cls)
                        for cls in type(self.env[model]).__mro__
                        if cls.__module__.startswith(
                            "odoo.addons.complaint_management.models"
                        )
                        and cls._name == model
                    },
                    {filename},
                )
        path = file_path("complaint_management/models/complaint.py")
        with open(path, encoding="utf-8") as source:
            self.assertLess(sum(1 for _line in source), 900)

    def test_masking_and_gateway_are_not_in_complaint_py(self):
        Complaint = type(self.env["complaint.complaint"])
        for method in (
            "_read_format",
            "_field_to_sql",
            "export_data",
            "message_new",
            "_send_complainant_mails",
            "_cron_send_status_updates",
        ):
            owners = [
                defining_file(cls)
                for cls in Complaint.__mro__
                if method in vars(cls)
                and cls.__module__.startswith("odoo.addons.complaint_management.")
            ]
            self.assertNotIn("complaint.py", owners, method)

    def test_demo_story_is_not_a_model(self):
        self.assertNotIn("complaint.demo.story", self.env.registry)
        self.assertFalse(
            self.env["ir.model"].search([("model", "=", "complaint.demo.story")])
        )
        for model in self.env.registry.values():
            for cls in type(model).__mro__:
                self.assertFalse(cls.__module__.startswith(story.__name__), model)

    def test_demo_data_builds_the_story(self):
        """The demo data calls the entry point test_demo_story plays."""
        path = file_path("complaint_management/demo/complaint_story_demo.xml")
        calls = etree.parse(path).findall("//function")
        self.assertEqual(
            [(call.get("model"), call.get("name")) for call in calls],
            [("complaint.complaint", "_demo_build_story")],
        )
        with patch.object(story, "build", return_value=True) as build:
            self.env["complaint.complaint"]._demo_build_story({"customers": []})
        build.assert_called_once()
        manifest = self.env["ir.module.module"].get_module_info("complaint_management")
        self.assertIn("demo/complaint_story_demo.xml", manifest["demo"])


@tagged("post_install", "-at_install")
class TestStatusUpdateBatches(ComplaintCase):
    """The status-update sweep runs through run_in_batches: one commit per
    batch outside tests, each due complaint queued once."""

    def test_committed_batches_each_complaint_once(self):
        partners = self.env["res.partner"].create(
            [
                {"name": f"Waiting {i}", "email": f"waiting{i}@example.com"}
                for i in range(5)
            ]
        )
        complaints = self.env["complaint.complaint"].create(
            [
                {
                    "name": f"Waiting {i}",
                    "partner_id": p.id,
                    "category_id": self.category_x.id,
                }
                for i, p in enumerate(partners)
            ]
        )
        self._send_letters()
        old = fields.Datetime.now() - timedelta(days=40)
        complaints.sudo().write(
            {"date_received": old, "date_last_customer_update": old}
        )
        self.company.complaint_status_update_days = 5
        progress = []

        def commit_progress(cron, processed=0, *, remaining=None, deactivate=False):
            progress.append(processed)
            return float("inf")

        cron = self.env.ref(STATUS_UPDATE_CRON)
        with (
            # as outside tests: each batch commits (here: reports progress)
            patch.object(cron_batches, "commits", lambda env: True),
            patch.object(self.registry["ir.cron"], "_commit_progress", commit_progress),
        ):
            done = self.env["complaint.complaint"]._cron_send_status_updates(
                batch_size=2
            )
        self.assertEqual(done, 5)
        self.assertEqual(progress, [2, 2, 1])
        template = self.env.ref(
            "complaint_management.mail_template_complaint_status_update"
        )
        letters = (
            self.env["complaint.letter"]
            .sudo()
            .search([("template_id", "=", template.id)])
        )
        self.assertEqual(letters.complaint_id, complaints)
        self.assertEqual(len(letters), 5)
        self.assertTrue(cron.active)
