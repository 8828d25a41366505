from datetime import datetime, timedelta

from odoo.tests import tagged

from odoo.addons.complaint_management.tests.common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintAnalysis(ComplaintCase):
    def test_aggregates(self):
        base = datetime(2025, 5, 5, 8)
        first = self._create_complaint(
            category_id=self.category_x.id, date_received=base
        )
        second = self._create_complaint(
            category_id=self.category_x.id, date_received=base
        )
        third = self._create_complaint(
            category_id=self.category_y.id, date_received=base
        )
        first.date_acknowledged = base + timedelta(hours=2)
        second.date_acknowledged = base + timedelta(hours=6)
        third.date_acknowledged = base + timedelta(hours=1)
        Analysis = self.env["complaint.analysis"]
        self.env.flush_all()
        ids = (first | second | third).ids
        groups = Analysis._read_group(
            [("complaint_id", "in", ids)],
            ["category_id"],
            ["nbr:sum", "hours_to_acknowledge:avg"],
        )
        result = {category: (nbr, hours) for category, nbr, hours in groups}
        self.assertEqual(result[self.category_x][0], 2)
        self.assertAlmostEqual(result[self.category_x][1], 4.0)
        self.assertEqual(result[self.category_y][0], 1)
        self.assertAlmostEqual(result[self.category_y][1], 1.0)
        rows = Analysis.search([("complaint_id", "in", ids)])
        self.assertEqual(len(rows), 3)
        self.assertEqual(set(rows.mapped("step")), {"acknowledged"})

    def test_anonymous_partner_hidden_and_rules(self):
        anonymous = self._create_complaint(is_anonymous=True)
        other_team = self._create_complaint(category_id=self.category_y.id)
        self.env.flush_all()
        row = self.env["complaint.analysis"].search(
            [("complaint_id", "=", anonymous.id)]
        )
        self.assertFalse(row.partner_id)
        self.assertTrue(row.is_anonymous)
        visible = (
            self.env["complaint.analysis"]
            .with_user(self.handler_x)
            .search([("complaint_id", "in", (anonymous | other_team).ids)])
        )
        self.assertEqual(visible.complaint_id, anonymous)
        visible = (
            self.env["complaint.analysis"]
            .with_user(self.auditor)
            .search([("complaint_id", "in", (anonymous | other_team).ids)])
        )
        self.assertEqual(len(visible), 2)

    def test_closed_hours(self):
        complaint = self._create_complaint()
        self._advance_to(complaint, "closed")
        received = complaint.date_received
        complaint.write(
            {
                "date_decided": received + timedelta(hours=24),
                "date_closed": received + timedelta(hours=30),
            }
        )
        self.env.flush_all()
        row = self.env["complaint.analysis"].search(
            [("complaint_id", "=", complaint.id)]
        )
        self.assertTrue(row.is_closed)
        self.assertAlmostEqual(row.hours_total, 30.0)
        self.assertAlmostEqual(row.hours_to_close, 6.0)

    def test_every_step_duration(self):
        """Each hours column measures its own pair of dates."""
        complaint = self._create_complaint()
        self._advance_to(complaint, "closed")
        received = complaint.date_received
        complaint.write(
            {
                "date_acknowledged": received + timedelta(hours=1),
                "date_assessed": received + timedelta(hours=3),
                "date_responded": received + timedelta(hours=6),
                "date_decided": received + timedelta(hours=10),
                "date_closed": received + timedelta(hours=15),
            }
        )
        self.env.flush_all()
        row = self.env["complaint.analysis"].search(
            [("complaint_id", "=", complaint.id)]
        )
        self.assertAlmostEqual(row.hours_to_acknowledge, 1.0)
        self.assertAlmostEqual(row.hours_to_assess, 2.0)
        self.assertAlmostEqual(row.hours_to_respond, 3.0)
        self.assertAlmostEqual(row.hours_to_decide, 4.0)
        self.assertAlmostEqual(row.hours_to_close, 5.0)
        self.assertAlmostEqual(row.hours_total, 15.0)
