from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestImprovementDemo(ComplaintCase):
    """The demo story of the improvement loop: the planted rise is found and
    the systemic issue's action worked."""

    def test_demo_rise_found_and_action_effective(self):
        issue = self.env["complaint.harm.signal"]._demo_improvement_story(
            {
                "team": self.team_x.id,
                "channel": self.env.ref(
                    "complaint_management.complaint_channel_web"
                ).id,
                "customers": (self.portal_a | self.portal_b).partner_id.ids,
            }
        )
        signals = self.env["complaint.harm.signal"].search([])
        lockers = signals.filtered(lambda s: s.category_id.name == "Parcel lockers")
        self.assertEqual(len(lockers), 1)
        self.assertEqual(lockers.observed, 21)
        self.assertEqual(lockers.state, "new")
        self.assertEqual(issue.effect_state, "effective")
        self.assertEqual((issue.effect_before, issue.effect_after), (12, 1))
        self.assertLess(issue.effect_ratio_high, 1.0)
        self.assertEqual(issue.complaint_count, 13)
        self.assertAlmostEqual(issue.redress_total, 12 * 25.0)
