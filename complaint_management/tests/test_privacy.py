"""Retention, anonymisation, legal hold and vulnerability."""

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import ComplaintCase
from .portal_common import ComplaintHttpCase

STATISTICS = (
    "reference",
    "date_received",
    "date_acknowledged",
    "date_decided",
    "date_closed",
    "category_id",
    "channel_id",
    "severity",
    "decision",
    "team_id",
    "stage_id",
    "sla_failed",
    "regulatory_deadline",
    "regulatory_state",
)


@tagged("post_install", "-at_install")
class TestPrivacy(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.complaint_retention_years = 3
        with freeze_time("2026-01-05 09:00:00"):
            cls.closed = cls._advance_to(
                cls._create_complaint(
                    name="My neighbour Jane Doe stole my parcel",
                    remedy_requested="Call me on +44 20 7946 0000",
                    vulnerability_ids=[
                        Command.create({"driver": "health", "note": "Hearing loss"})
                    ],
                ),
                "closed",
            )
            cls.closed.message_post(
                body="Please call Alice on her mobile", message_type="comment"
            )
            cls.env["ir.attachment"].create(
                {
                    "name": "id-card.png",
                    "raw": b"x",
                    "res_model": "complaint.complaint",
                    "res_id": cls.closed.id,
                }
            )
            cls.open = cls._create_complaint(name="Still open")

    def _statistics(self, complaint):
        return complaint.read(list(STATISTICS))[0]

    def test_retention_date_from_closure(self):
        self.assertEqual(str(self.closed.retention_date), "2029-01-05")
        self.assertFalse(self.open.retention_date)
        fca = self.env.ref("complaint_management.regulatory_profile_fca_disp")
        self.closed.regulatory_profile_id = fca  # 3 years too, profile first
        fca.retention_years = 5
        self.assertEqual(str(self.closed.retention_date), "2031-01-05")

    def test_anonymised_the_day_after_retention_statistics_kept(self):
        before = self._statistics(self.closed)
        Complaint = self.env["complaint.complaint"]
        with freeze_time("2029-01-04 12:00:00"):
            Complaint._cron_anonymize_expired()
        self.assertFalse(self.closed.anonymized_date)
        with freeze_time("2029-01-06 03:00:00"):
            Complaint._cron_anonymize_expired()
        self.assertEqual(self.closed.anonymized_date, datetime(2029, 1, 6, 3, 0))
        self.assertEqual(self._statistics(self.closed), before)
        self.assertFalse(self.closed.partner_id)
        self.assertFalse(self.closed.partner_email)
        self.assertNotIn("Jane", self.closed.name)
        self.assertFalse(self.closed.remedy_requested)
        self.assertFalse(self.closed.vulnerability_ids)
        messages = self.env["mail.message"].search(
            [("model", "=", "complaint.complaint"), ("res_id", "=", self.closed.id)]
        )
        self.assertTrue(messages)
        for message in messages:
            self.assertNotIn("Alice", message.body or "")
            self.assertFalse(message.author_id)
            self.assertFalse(message.tracking_value_ids)
        self.assertFalse(
            self.env["ir.attachment"].search_count(
                [
                    ("res_model", "=", "complaint.complaint"),
                    ("res_id", "=", self.closed.id),
                ]
            )
        )
        self.assertFalse(self.closed.message_partner_ids)
        # the contact stays: other apps use it
        self.assertTrue(self.portal_a.partner_id.exists())
        log = self.env["complaint.anonymization.log"].search(
            [("complaint_id", "=", self.closed.id)]
        )
        self.assertEqual(log.reference, self.closed.reference)
        self.assertEqual(log.rule, "Company retention period")
        self.assertEqual(self.open.name, "Still open")  # untouched
        # twice changes nothing more
        with freeze_time("2029-02-06 03:00:00"):
            Complaint._cron_anonymize_expired()
        self.assertEqual(self.closed.anonymized_date, datetime(2029, 1, 6, 3, 0))
        self.assertEqual(
            self.env["complaint.anonymization.log"].search_count(
                [("complaint_id", "=", self.closed.id)]
            ),
            1,
        )

    def test_legal_hold_keeps_the_complaint(self):
        with self.assertRaises(UserError):
            self.closed.legal_hold = True  # a reason is required
        self.closed.with_user(self.manager).write(
            {"legal_hold": True, "legal_hold_reason": "Court case 2028/114"}
        )
        self.assertEqual(self.closed.legal_hold_user_id, self.manager)
        with freeze_time("2029-06-01 03:00:00"):
            self.env["complaint.complaint"]._cron_anonymize_expired()
        self.assertFalse(self.closed.anonymized_date)
        self.assertIn("Jane", self.closed.name)
        with self.assertRaises(UserError):
            self.closed.with_user(self.manager).action_erase()
        self.closed.legal_hold = False
        with freeze_time("2029-06-02 03:00:00"):
            self.env["complaint.complaint"]._cron_anonymize_expired()
        self.assertTrue(self.closed.anonymized_date)

    def test_erasure_refused_during_the_retention_duty(self):
        with self.assertRaises(UserError) as caught:
            self.closed.with_user(self.manager).action_erase()
        self.assertIn("2029", str(caught.exception))
        with self.assertRaises(UserError):
            self.open.with_user(self.manager).action_erase()
        with self.assertRaises(UserError):
            self.closed.with_user(self.handler_x).action_erase()
        self.company.complaint_retention_years = 0  # no duty to keep it
        self.closed.with_user(self.manager).action_erase()
        self.assertTrue(self.closed.anonymized_date)
        log = self.env["complaint.anonymization.log"].search(
            [("complaint_id", "=", self.closed.id)]
        )
        self.assertEqual(log.rule, "Erasure request")

    def test_vulnerable_customers_get_the_shorter_target(self):
        self.env["complaint.sla"].search([]).write({"active": False})
        rule = self.env["complaint.sla"].create(
            {
                "name": "Vulnerable: decide within 2 working days",
                "vulnerable_only": True,
                "target_step": "decided",
                "time_hours": 16,
                "company_id": self.company.id,
            }
        )
        plain = self._create_complaint()
        self.assertFalse(plain.sla_status_ids.filtered(lambda s: s.sla_id == rule))
        plain.vulnerability_ids = [Command.create({"driver": "capability"})]
        self.assertTrue(plain.sla_status_ids.filtered(lambda s: s.sla_id == rule))
        flagged = self._create_complaint(
            vulnerability_ids=[Command.create({"driver": "resilience"})]
        )
        self.assertTrue(flagged.sla_status_ids.filtered(lambda s: s.sla_id == rule))
        flagged.vulnerability_ids.unlink()
        self.assertFalse(flagged.sla_status_ids.filtered(lambda s: s.sla_id == rule))

    def test_vulnerability_seen_by_team_and_managers_only(self):
        complaint = self._create_complaint(
            vulnerability_ids=[
                Command.create({"driver": "life_events", "note": "Bereaved"})
            ]
        )
        self.assertTrue(complaint.is_vulnerable)
        self.assertEqual(
            complaint.with_user(self.handler_x).vulnerability_ids.note, "Bereaved"
        )
        self.assertEqual(
            complaint.with_user(self.manager).vulnerability_ids.driver, "life_events"
        )
        Vulnerability = self.env["complaint.vulnerability"]
        for user in (self.handler_y, self.auditor, self.portal_a):
            with self.subTest(user=user.login):
                self.assertFalse(
                    Vulnerability.with_user(user).search(
                        [("complaint_id", "=", complaint.id)]
                    )
                    if user != self.auditor and user != self.portal_a
                    else False
                )
                with self.assertRaises(AccessError):
                    Vulnerability.with_user(user).browse(
                        complaint.vulnerability_ids.id
                    ).read(["note"])
        # the portal user, owner of the complaint, cannot read the field
        with self.assertRaises(AccessError):
            complaint.with_user(self.portal_a).read(["vulnerability_ids"])
        with self.assertRaises(AccessError):
            complaint.with_user(self.auditor).read(["is_vulnerable"])


@tagged("post_install", "-at_install")
class TestSubjectAccess(ComplaintCase):
    def test_zip_holds_every_message_of_the_complainant_and_no_one_else(self):
        import io
        import json
        import zipfile

        mine = self._create_complaint(name="First of Alice")
        mine.message_post(body="Alice writes again", message_type="comment")
        second = self._create_complaint(name="Second of Alice")
        self.env["ir.attachment"].create(
            {
                "name": "photo.png",
                "raw": b"png",
                "res_model": "complaint.complaint",
                "res_id": second.id,
            }
        )
        other = self._create_complaint(
            name="Bob's complaint", partner_id=self.portal_b.partner_id.id
        )
        other.message_post(body="Bob writes", message_type="comment")
        wizard = (
            self.env["complaint.subject.access.wizard"]
            .with_user(self.manager)
            .create({"partner_id": self.portal_a.partner_id.id})
        )
        action = wizard.action_export()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[-1].split("?")[0])
        )
        archive = zipfile.ZipFile(io.BytesIO(attachment.raw))
        manifest = json.loads(archive.read("manifest.json"))
        self.assertEqual(manifest["complainant"]["name"], self.portal_a.partner_id.name)
        references = [entry["reference"] for entry in manifest["complaints"]]
        self.assertEqual(references, [mine.reference, second.reference])
        bodies = [
            message["body"]
            for entry in manifest["complaints"]
            for message in entry["messages"]
        ]
        expected = self.env["mail.message"].search_count(
            [
                ("model", "=", "complaint.complaint"),
                ("res_id", "in", (mine | second).ids),
            ]
        )
        self.assertEqual(len(bodies), expected)
        self.assertIn("Alice writes again", " ".join(bodies))
        self.assertNotIn("Bob", " ".join(bodies) + json.dumps(manifest))
        files = manifest["complaints"][1]["files"]
        photo = [path for path in files if path.endswith("-photo.png")]
        self.assertEqual(len(photo), 1)
        self.assertEqual(archive.read(photo[0]), b"png")
        self.assertEqual(
            len(archive.namelist()),
            1 + sum(len(entry["files"]) for entry in manifest["complaints"]),
        )
        with self.assertRaises(AccessError):
            self.env["complaint.subject.access.wizard"].with_user(
                self.handler_x
            ).create({"partner_id": self.portal_a.partner_id.id})


@tagged("post_install", "-at_install")
class TestVulnerabilityNeverShown(ComplaintHttpCase):
    def test_not_on_the_portal_nor_in_letters(self):
        complaint = self._create_complaint(
            vulnerability_ids=[
                Command.create({"driver": "health", "note": "Severe anxiety XQZ"})
            ]
        )
        self._send_letters()
        self.authenticate("cm_portal_a", "cm_portal_a")
        response = self.url_open(f"/my/complaints/{complaint.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(complaint.reference, response.text)
        self.assertNotIn("XQZ", response.text)
        self.assertNotIn("Vulnerab", response.text)
        letters = (
            self.env["mail.mail"]
            .sudo()
            .search(
                [("model", "=", "complaint.complaint"), ("res_id", "=", complaint.id)]
            )
        )
        messages = complaint.message_ids
        self.assertTrue(messages)
        for body in [*letters.mapped("body_html"), *messages.mapped("body")]:
            self.assertNotIn("XQZ", body or "")
