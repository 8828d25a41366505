from datetime import date, datetime

from freezegun import freeze_time

from .common import ReportCase


class TestDemoBank(ReportCase):
    """The demo bank (demo/complaint_bank_demo.xml, demo/bank_story.py),
    played up to mid-May 2027 so that both FCA returns have figures: what a
    newcomer from a bank should find."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(datetime(2027, 5, 14, 10, 0)):
            cls.env["complaint.complaint"]._demo_build_bank_story("Test Bank plc")
        cls.bank = cls.env["res.company"].search([("name", "=", "Test Bank plc")])
        cls.complaints = cls.env["complaint.complaint"].search(
            [("company_id", "=", cls.bank.id)]
        )

    def test_bank_company(self):
        self.assertEqual(len(self.bank), 1)
        self.assertTrue(self.bank.logo)
        self.assertEqual(self.bank.partner_id.tz, "Europe/London")
        calendar = self.bank.resource_calendar_id
        self.assertEqual(calendar.company_id, self.bank)
        self.assertEqual(calendar.name, "Test Bank plc: business days")
        self.assertEqual(calendar.tz, "Europe/London")
        self.assertEqual(
            (calendar.holiday_country_code, calendar.holiday_subdivision),
            ("GB", "ENG"),
        )
        holidays = {
            leave.date_from.date()
            for leave in self.env["resource.calendar.leaves"].search(
                [("calendar_id", "=", calendar.id)]
            )
        }
        # Christmas 2026 (midnight in London is midnight UTC in winter); the
        # Easter Monday 2027 (28 March) starts at 23:00 UTC on the 28th
        self.assertIn(date(2026, 12, 25), holidays)
        self.assertIn(date(2027, 3, 28), holidays)
        self.assertTrue(calendar.attendance_ids)

    def test_complaints_under_the_fca(self):
        ref = self.env.ref
        self.assertGreaterEqual(len(self.complaints), 40)
        self.assertEqual(
            self.complaints.regulatory_profile_id,
            ref("complaint_management.regulatory_profile_fca_disp")
            | ref("complaint_management.regulatory_profile_fca_psd"),
        )
        states = set(self.complaints.mapped("regulatory_state"))
        self.assertLessEqual({"met", "holding_sent", "breached"}, states)
        # summary resolutions: met at the resolution, within the window
        quick = self.complaints.filtered("regulatory_summary_date")
        self.assertTrue(quick)
        for complaint in quick:
            self.assertEqual(complaint.regulatory_state, "met")
            self.assertEqual(
                complaint.regulatory_met_date, complaint.regulatory_resolved_date
            )
            self.assertLessEqual(
                complaint.regulatory_resolved_date,
                complaint.regulatory_summary_deadline,
            )
        holding = self.complaints.filtered(
            lambda c: c.regulatory_state == "holding_sent"
        )
        self.assertTrue(all(c.regulatory_holding_reason for c in holding))
        self.assertTrue(
            all(c.regulatory_holding_date <= c.regulatory_deadline for c in holding)
        )
        breached = self.complaints.filtered(lambda c: c.regulatory_state == "breached")
        # the late final response, without a holding response in time
        self.assertEqual(len(breached), 1)
        for complaint in breached:
            self.assertGreater(complaint.date_decided, complaint.regulatory_deadline)
            self.assertFalse(complaint.regulatory_holding_date)
        self.assertTrue(self.complaints.filtered("is_vulnerable"))
        self.assertTrue(self.complaints.filtered("vulnerability_failure"))
        referred = self.complaints.filtered("external_referral_body")
        self.assertTrue(referred)
        self.assertIn("Financial Ombudsman Service", referred[0].external_referral_body)
        decided = self.complaints.filtered("date_decided")
        self.assertGreaterEqual(len(decided), 30)

    def test_final_response_with_the_referral_block(self):
        decided = self.complaints.filtered(
            lambda c: c.date_decided and not c.regulatory_summary_date
        )
        html = self.render_html(
            "complaint_management_reports.action_report_complaint_decision",
            decided[0],
        )
        html = " ".join(html.split())
        self.assertIn("o_complaint_regulatory_referral", html)
        self.assertIn("Financial Ombudsman Service", html)
        self.assertIn("We consent to", html)  # the waiver choice (DISP 1.6.2R)

    def _return(self, date_from, date_to):
        wizard = self.env["complaint.regulatory.return.wizard"].create(
            {
                "company_id": self.bank.id,
                "date_from": date_from,
                "date_to": date_to,
                # contextualised data: the denominators entered on the return
                "context_banking_accounts": 120000,
                "context_payment_transactions": 2500000,
            }
        )
        wizard.action_compute()
        return wizard

    def test_both_fca_returns_have_figures(self):
        old = self._return(date(2026, 7, 1), date(2026, 12, 31))
        self.assertEqual(old.return_type, "fca")
        self.assertGreater(sum(old.fca_line_ids.mapped("opened")), 0)
        self.assertGreater(sum(old.fca_line_ids.mapped("closed")), 0)
        new = self._return(date(2027, 1, 1), date(2027, 6, 30))
        self.assertEqual(new.return_type, "fca_consolidated")
        self.assertFalse(new.problems)
        lines = new.fca_line_ids
        self.assertGreater(sum(lines.mapped("opened")), 0)
        # both vulnerability data points
        self.assertGreater(sum(lines.mapped("vulnerable")), 0)
        self.assertGreater(sum(lines.mapped("vulnerability_failure")), 0)
        self.assertIn("Retail banking", lines.mapped("section"))
