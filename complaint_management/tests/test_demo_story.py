from datetime import timedelta

from odoo import fields

from ..demo.story import STORY_DAYS
from ..models.complaint_stage import STEPS
from .common import ComplaintCase

STAGE_DATES = (
    "date_received",
    "date_acknowledged",
    "date_assessed",
    "date_responded",
    "date_decided",
    "date_closed",
)


class TestDemoStory(ComplaintCase):
    """The demo story (demo/complaint_story_demo.xml) played on the test
    users, teams and categories: what a demo user should find."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customers = cls.env["res.partner"].create(
            [
                {"name": name, "email": f"{name.split()[0].lower()}@example.com"}
                for name in ("Carla Customer", "Dan Customer", "Eve Customer")
            ]
        )
        cls.now = fields.Datetime.now()
        cls.env["complaint.complaint"]._demo_build_story(
            {
                "portal_user": cls.portal_a.id,
                "customers": (cls.portal_b.partner_id | customers).ids,
                "categories": {
                    "late": cls.category_x.id,
                    "damage": cls.category_x.id,
                    "billing": cls.category_y.id,
                    "staff": cls.category_y.id,
                },
                "root_causes": dict.fromkeys(
                    ("late", "damage", "billing", "staff"), cls.root_cause.id
                ),
            }
        )
        cls.complaints = (
            cls.env["complaint.complaint"]
            .with_context(active_test=False)
            .search([("company_id", "=", cls.company.id)])
        )

    def test_volume_and_spread(self):
        self.assertGreaterEqual(len(self.complaints), 55)
        self.assertLessEqual(len(self.complaints), 70)
        received = self.complaints.mapped("date_received")
        self.assertLess(min(received), self.now - timedelta(days=STORY_DAYS - 5))
        self.assertGreaterEqual(min(received), self.now - timedelta(days=STORY_DAYS))
        self.assertLessEqual(max(received), self.now)
        # spread: every 30-day slice of the story has complaints
        for months_ago in range(4):
            end = self.now - timedelta(days=30 * months_ago)
            self.assertTrue(
                any(end - timedelta(days=30) <= date < end for date in received),
                f"no complaint received between {months_ago + 1} and "
                f"{months_ago} months ago",
            )
        self.assertEqual(
            set(self.complaints.mapped("step")), {step for step, _label in STEPS}
        )

    def test_stage_dates_in_order(self):
        for complaint in self.complaints:
            dates = [complaint[fname] for fname in STAGE_DATES if complaint[fname]]
            self.assertEqual(dates, sorted(dates), complaint.reference)
        closed = self.complaints.filtered(
            lambda c: c.step == "closed" and not c.duplicate_of_id
        )
        self.assertGreaterEqual(len(closed), 20)
        for complaint in closed:
            dates = [complaint[fname] for fname in STAGE_DATES]
            self.assertTrue(all(dates), complaint.reference)
            self.assertTrue(
                all(a < b for a, b in zip(dates, dates[1:])), complaint.reference
            )
            self.assertTrue(complaint.root_cause_id, complaint.reference)
            self.assertTrue(complaint.action_ids, complaint.reference)
            self.assertFalse(
                complaint.action_ids.filtered(
                    lambda a: a.blocking and a.state == "open"
                )
            )

    def test_history_messages(self):
        messages = self.env["mail.message"].search(
            [
                ("model", "=", "complaint.complaint"),
                ("res_id", "in", self.complaints.ids),
                ("message_type", "in", ("comment", "email")),
            ]
        )
        customers = self.complaints.partner_id
        handlers = self.complaints.user_id.partner_id
        self.assertTrue(messages.filtered(lambda m: m.author_id in customers))
        self.assertTrue(messages.filtered(lambda m: m.author_id in handlers))
        # backdated: messages of the first weeks of the story
        self.assertLess(
            min(messages.mapped("date")), self.now - timedelta(days=STORY_DAYS - 10)
        )
        acknowledgement = self.env.ref(
            "complaint_management.mail_template_complaint_acknowledgement"
        )
        first = self.complaints.sorted("date_received")[0]
        letter = self.env["mail.message"].search(
            [
                ("model", "=", "complaint.complaint"),
                ("res_id", "=", first.id),
                (
                    "subject",
                    "=",
                    acknowledgement._render_field("subject", first.ids)[first.id],
                ),
            ],
            limit=1,
        )
        self.assertTrue(letter)
        self.assertEqual(letter.date, first.date_acknowledged)

    def test_sla_outcomes(self):
        lines = self.complaints.sla_status_ids
        self.assertEqual(
            set(lines.sla_id.mapped("target_step")), {"acknowledged", "decided"}
        )
        self.assertTrue(lines.filtered(lambda s: s.status == "failed"))
        self.assertTrue(lines.filtered(lambda s: s.warned and s.status == "reached"))
        self.assertTrue(
            lines.filtered(lambda s: s.status == "reached" and not s.warned)
        )
        critical = self.complaints.filtered(lambda c: c.severity == "critical")
        self.assertTrue(critical)
        self.assertTrue(critical.sla_status_ids.filtered("sla_id.severity"))
        holidays = self.env["resource.calendar.leaves"].search(
            [("calendar_id", "=", False), ("resource_id", "=", False)]
        )
        self.assertTrue(holidays)

    def test_appeal_duplicate_referral_ratings(self):
        appealed = self.complaints.filtered(lambda c: c.escalation_level >= 1)
        self.assertTrue(appealed)
        for complaint in appealed:
            self.assertTrue(complaint.previous_handler_ids)
            self.assertNotIn(complaint.user_id, complaint.previous_handler_ids)
        self.assertTrue(self.complaints.filtered("duplicate_of_id"))
        referred = self.complaints.filtered("external_referral_body")
        self.assertTrue(referred)
        self.assertTrue(referred[0].external_referral_date)
        ratings = self.env["rating.rating"].search(
            [
                ("res_model", "=", "complaint.complaint"),
                ("res_id", "in", self.complaints.ids),
                ("consumed", "=", True),
            ]
        )
        self.assertGreaterEqual(len(ratings), 5)
        self.assertGreater(len(set(ratings.mapped("rating"))), 1)

    def test_portal_user_sees_target_dates(self):
        mine = self.complaints.filtered(
            lambda c: c.partner_id == self.portal_a.partner_id and c.step != "closed"
        )
        with_target = mine.filtered(
            lambda c: c.sla_deadline and c.sla_deadline > self.now
        )
        self.assertGreaterEqual(len(with_target), 2)
        # what /my/complaints lists for the portal user, with its access rules
        visible = (
            self.env["complaint.complaint"]
            .with_user(self.portal_a)
            .search([("id", "in", with_target.ids)])
        )
        self.assertEqual(visible, with_target)
