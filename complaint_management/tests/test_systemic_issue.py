from datetime import date, datetime, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.insight_statistics import clopper_pearson, rate_ratio_ci
from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestRateRatio(ComplaintCase):
    """Did the action work? The interval checked against values worked out
    by hand (and R's binom.test)."""

    def test_no_complaint_after(self):
        # 0 after, 10 before, same exposure: p_upper solves (1 - p)^10 = 0.025,
        # p = 1 - 0.025^0.1 = 0.308497; ratio bound p / (1 - p) = 0.446126
        ratio, low, high = rate_ratio_ci(0, 8.0, 10, 8.0)
        self.assertEqual(ratio, 0.0)
        self.assertEqual(low, 0.0)
        self.assertAlmostEqual(high, 0.025**-0.1 - 1, places=6)
        self.assertAlmostEqual(high, 0.446126, places=6)

    def test_five_after_twenty_before(self):
        # binom.test(5, 25): 0.06831 - 0.40704, as odds: 0.07332 - 0.68645
        low_p, high_p = clopper_pearson(5, 25)
        self.assertAlmostEqual(low_p, 0.068311, places=6)
        self.assertAlmostEqual(high_p, 0.407037, places=6)
        ratio, low, high = rate_ratio_ci(5, 1.0, 20, 1.0)
        self.assertAlmostEqual(ratio, 0.25)
        self.assertAlmostEqual(low, 0.068311 / 0.931689, places=5)
        self.assertAlmostEqual(high, 0.407037 / 0.592963, places=5)

    def test_unequal_exposure(self):
        # 4 weeks after against 8 before: the rates, not the counts
        ratio, low, high = rate_ratio_ci(5, 4.0, 20, 8.0)
        self.assertAlmostEqual(ratio, 0.5)
        self.assertAlmostEqual(low, 2 * 0.068311 / 0.931689, places=5)
        self.assertAlmostEqual(high, 2 * 0.407037 / 0.592963, places=5)

    def test_nothing_to_compare(self):
        self.assertIsNone(rate_ratio_ci(0, 1.0, 0, 1.0))


@tagged("post_install", "-at_install")
class TestSystemicIssue(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Issue = cls.env["complaint.systemic.issue"]
        cls.issue = cls.Issue.with_user(cls.manager).create(
            {"name": "Carrier crushes parcels", "owner_id": cls.manager.id}
        )

    def _complaints_at(self, moments, **values):
        return self.env["complaint.complaint"].create(
            [
                dict(
                    {
                        "name": "Crushed parcel",
                        "category_id": self.category_x.id,
                        "channel_id": self.channel_phone.id,
                        "date_received": moment,
                    },
                    **values,
                )
                for moment in moments
            ]
        )

    def test_redress_programme_sums(self):
        complaints = self._complaints_at(
            [datetime(2027, 1, day, 9) for day in (4, 5, 6, 7)],
            systemic_issue_id=self.issue.id,
        )
        complaints[0].redress_amount = 100.0
        complaints[1].redress_amount = 50.5
        # a complaint of another team counts as well
        complaints[2].write({"category_id": self.category_y.id, "redress_amount": 20})
        issue = self.issue.with_user(self.handler_x)
        self.assertEqual(issue.complaint_count, 4)
        self.assertEqual(issue.redress_count, 3)
        self.assertAlmostEqual(issue.redress_total, 170.5)

    def test_redress_in_another_currency_converted(self):
        """A redress paid in another currency counts at the rate of the
        final response's date (of receipt while undecided), in the company's
        currency: 100 at 2.5 units per company unit is 40."""
        company_currency = self.env.company.currency_id
        other = self.env["res.currency"].search(
            [("id", "!=", company_currency.id), ("active", "in", (True, False))],
            limit=1,
        )
        other.active = True
        self.env["res.currency.rate"].create(
            [
                {"currency_id": other.id, "name": date(2027, 1, 1), "rate": 2.5},
                {"currency_id": other.id, "name": date(2027, 3, 1), "rate": 5.0},
            ]
        )
        complaints = self._complaints_at(
            [datetime(2027, 1, 4, 9), datetime(2027, 1, 5, 9)],
            systemic_issue_id=self.issue.id,
        )
        complaints[0].redress_amount = 30.0
        complaints[1].write({"redress_amount": 100.0, "redress_currency_id": other.id})
        self.assertEqual(complaints[1].redress_amount_company, 40.0)
        self.assertAlmostEqual(self.issue.redress_total, 70.0)
        # decided in March: the rate of the final response's date
        complaints[1].date_decided = datetime(2027, 3, 2, 9)
        self.assertEqual(complaints[1].redress_amount_company, 20.0)
        self.assertAlmostEqual(self.issue.redress_total, 50.0)

    def test_action_effective(self):
        self.issue.root_cause_ids = self.root_cause
        done = date(2027, 2, 1)
        pivot = datetime(2027, 2, 1)
        # 10 same-cause complaints in the 8 weeks before, none after
        before = self._complaints_at(
            [pivot - timedelta(days=3 * n + 1) for n in range(10)],
            root_cause_id=self.root_cause.id,
        )
        # out of the window: not counted
        self._complaints_at(
            [pivot - timedelta(weeks=9)], root_cause_id=self.root_cause.id
        )
        action = self.env["complaint.action"].create(
            {
                "complaint_id": before[0].id,
                "systemic_issue_id": self.issue.id,
                "name": "New packaging",
            }
        )
        self.assertEqual(self.issue.effect_state, "pending")
        action.write({"state": "done", "date_done": done})
        issue = self.issue.with_context(effect_now=pivot + timedelta(weeks=8))
        self.assertEqual(issue.effect_date, done)
        self.assertEqual((issue.effect_before, issue.effect_after), (10, 0))
        self.assertAlmostEqual(issue.effect_ratio_high, 0.446, places=3)
        self.assertEqual(issue.effect_state, "effective")
        # too early: one week after
        early = self.issue.with_context(effect_now=pivot + timedelta(weeks=1))
        self.assertEqual(early.effect_state, "too_early")

    def test_action_not_shown_effective(self):
        pivot = datetime(2027, 2, 1)
        linked = self._complaints_at(
            [pivot - timedelta(days=5 * n + 1) for n in range(8)]
            + [pivot + timedelta(days=5 * n + 1) for n in range(6)],
            systemic_issue_id=self.issue.id,
        )
        self.env["complaint.action"].create(
            {
                "complaint_id": linked[0].id,
                "systemic_issue_id": self.issue.id,
                "name": "Retrain the carrier",
                "state": "done",
                "date_done": pivot.date(),
            }
        )
        issue = self.issue.with_context(effect_now=pivot + timedelta(weeks=8))
        self.assertEqual((issue.effect_before, issue.effect_after), (8, 6))
        self.assertAlmostEqual(issue.effect_ratio, 0.75)
        self.assertGreater(issue.effect_ratio_high, 1.0)
        self.assertEqual(issue.effect_state, "not_shown")

    def test_merge(self):
        other = self.Issue.create({"name": "Parcels damaged", "customers_affected": 40})
        complaint = self._create_complaint(systemic_issue_id=other.id)
        action = self.env["complaint.action"].create(
            {"complaint_id": complaint.id, "systemic_issue_id": other.id, "name": "Fix"}
        )
        wizard = (
            self.env["complaint.systemic.issue.merge.wizard"]
            .with_user(self.manager)
            .with_context(default_issue_ids=[self.issue.id, other.id])
            .create({})
        )
        self.assertEqual(wizard.target_id, self.issue, "the oldest is kept")
        wizard.action_merge()
        self.assertEqual(complaint.systemic_issue_id, self.issue)
        self.assertEqual(action.systemic_issue_id, self.issue)
        self.assertEqual(other.state, "closed")
        self.assertEqual(self.issue.customers_affected, 40)
        self.assertIn("Merged into", other.message_ids[0].body)
        with self.assertRaises(UserError):
            self.issue._merge_into(self.issue)

    def test_handler_links_manager_manages(self):
        complaint = self._create_complaint()
        complaint.with_user(self.handler_x).systemic_issue_id = self.issue
        self.assertEqual(self.issue.complaint_ids, complaint)
        with self.assertRaises(AccessError):
            self.Issue.with_user(self.handler_x).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.issue.with_user(self.handler_x).action_close()
        self.issue.with_user(self.manager).action_close()
        self.assertEqual(self.issue.state, "closed")

    def test_portal_and_other_company_cannot_read(self):
        for model in ("complaint.systemic.issue", "complaint.harm.signal"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.portal_a).search([])
        with self.assertRaises(AccessError):
            self.env["complaint.harm.signal"].with_user(self.handler_x).search([])
        other_company = self.env["res.company"].create({"name": "Other Issues Co"})
        foreign = self.Issue.create({"name": "Theirs", "company_id": other_company.id})
        found = self.Issue.with_user(self.manager).search([])
        self.assertIn(self.issue, found)
        self.assertNotIn(foreign, found)
