"""The rules read right: what the letters say and when the clock is breached,
checked against the regulator's text (cited beside each test)."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ComplaintCase


def dt(text):
    return datetime.fromisoformat(text)


@tagged("post_install", "-at_install")
class TestRegulatoryRules(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.sla"].search([]).write({"active": False})
        cls.env["complaint.stage"].search([]).write({"mail_template_id": False})
        codes = (
            "fca_disp",
            "fca_psd",
            "asic_rg271",
            "asic_rg271_hardship",
            "asic_rg271_trustee",
            "asic_rg271_death_benefit",
            "cbi_ie",
            "cfpb",
        )
        # (not raising: on code without a profile, its tests fail alone)
        cls.profile = {
            code: cls.env.ref(
                f"complaint_management.regulatory_profile_{code}",
                raise_if_not_found=False,
            )
            for code in codes
        }
        cls.env["resource.calendar"].browse(
            {p.calendar_id.id for p in cls.profile.values() if p}
        )._complaint_fill_public_holidays([2027, 2028])

    def _received(self, code, when, **values):
        return self._create_complaint(
            regulatory_profile_id=self.profile[code].id,
            date_received=dt(when),
            user_id=self.handler_x.id,
            **values,
        )

    def _bodies(self, complaint, subject):
        self._send_letters()
        return [
            " ".join((m.body or "").split())
            for m in complaint.message_ids
            if subject in (m.subject or "")
        ]

    # ------------------------------------------------------------------
    # 1. PSD final response: DISP 1.6.2R(1)(f) applies
    # ------------------------------------------------------------------
    def test_psd_final_response_states_the_waiver_choice(self):
        complaint = self._received("fca_psd", "2027-03-19 18:30:00")
        self._advance_to(complaint, "responded")
        with self.assertRaisesRegex(UserError, r"^FCA DISP 1\.6\.2AR.*waive"):
            self._advance_to(complaint, "decided")
        complaint.regulatory_waiver_consent = "no_consent"
        self._advance_to(complaint, "decided")
        self.assertEqual(complaint.step, "decided")

    # ------------------------------------------------------------------
    # 2. Holding responses say what is true when sent
    # ------------------------------------------------------------------
    def test_disp_holding_before_week_eight_gives_the_referral_date(self):
        # Received Friday 19 March 2027; eight weeks end on Friday 14 May
        # (23:59:59 BST): the complainant may refer from Saturday 15 May
        # (DISP 2.8.1R(2)), so a letter of 10 May gives that date.
        complaint = self._received("fca_disp", "2027-03-19 18:30:00")
        with freeze_time("2027-05-10 09:00:00"):
            # DISP 1.6.2R(2)(a): why, and when: the handler's to give, not
            # the sweep's
            self.env["complaint.complaint"]._cron_regulatory_clock()
            self.assertEqual(complaint.regulatory_state, "due_soon")
            self.assertFalse(complaint.regulatory_holding_date)
            with self.assertRaisesRegex(UserError, "reasons for the delay"):
                complaint.action_send_holding_response()
            with self.assertRaisesRegex(UserError, "say when"):
                complaint.action_send_holding_response("Records awaited.")
            complaint.action_send_holding_response(
                "We are waiting for the card scheme's records.",
                dt("2027-06-11 15:00:00"),
            )
        # the portal and the letters now promise the date the letter gave
        self.assertEqual(complaint._regulatory_answer_by(), dt("2027-06-11 15:00:00"))
        [body] = self._bodies(complaint, "needs more time")
        self.assertIn("We will send it by 06/11/2027", body)
        self.assertIn("from 05/15/2027", body)
        self.assertNotIn(") now.", body)
        self.assertIn("card scheme's records", body)

    def test_disp_holding_after_week_eight_says_now_and_is_a_breach(self):
        complaint = self._received("fca_disp", "2027-03-19 18:30:00")
        with freeze_time("2027-05-17 09:00:00"):
            complaint.action_send_holding_response("Late", dt("2027-06-01 12:00:00"))
            complaint._regulatory_update_state()
        self.assertEqual(complaint.regulatory_state, "breached")
        [body] = self._bodies(complaint, "needs more time")
        self.assertIn("now.", body)

    def test_psd_holding_reply_is_the_handlers_decision_with_reasons(self):
        # 15 business days from Friday 19 March 2027 end on 13 April; 35 on
        # 12 May (Easter and the May bank holiday skipped).
        complaint = self._received("fca_psd", "2027-03-19 18:30:00")
        Complaint = self.env["complaint.complaint"]
        with freeze_time("2027-04-09 10:00:00"):
            Complaint._cron_regulatory_clock()
        self.assertEqual(complaint.regulatory_state, "due_soon")
        self.assertFalse(complaint.regulatory_holding_date)  # not the sweep's
        with freeze_time("2027-04-09 10:00:00"):
            with self.assertRaisesRegex(UserError, "reasons for the delay"):
                complaint.action_send_holding_response()
            with self.assertRaisesRegex(UserError, "cannot be promised"):
                complaint.action_send_holding_response(
                    "Outage", dt("2027-05-13 10:00:00")
                )
            wizard = (
                self.env["complaint.regulatory.response.wizard"]
                .with_context(
                    **complaint.action_open_holding_wizard()["context"],
                )
                .create({"reason": "Our card processor's outage (beyond our control)."})
            )
            wizard._onchange_expected_date()
            self.assertEqual(wizard.expected_date, dt("2027-05-12 22:59:59"))
            wizard.action_confirm()
        self.assertEqual(complaint.regulatory_state, "holding_sent")
        self.assertEqual(
            complaint.regulatory_holding_expected_date, dt("2027-05-12 22:59:59")
        )
        [body] = self._bodies(complaint, "needs more time")
        self.assertIn("card processor's outage", body)
        self.assertIn("We will send it by 05/12/2027", body)
        # DISP 2.8.1R(2A)(b): referral after the 35 business days
        self.assertIn("from 05/13/2027", body)

    # ------------------------------------------------------------------
    # 3. A lawful response is not a breach
    # ------------------------------------------------------------------
    def test_disp_holding_in_time_stays_held_past_the_deadline(self):
        Complaint = self.env["complaint.complaint"]
        held = self._received("fca_disp", "2027-03-19 18:30:00")
        silent = self._received("fca_disp", "2027-03-19 18:30:00")
        with freeze_time("2027-05-14 12:00:00"):
            held.action_send_holding_response(
                "Expert report awaited.", dt("2027-05-31 12:00:00")
            )
        with freeze_time("2027-05-20 10:00:00"):
            Complaint._cron_regulatory_clock()
        self.assertEqual(held.regulatory_state, "holding_sent")
        self.assertEqual(silent.regulatory_state, "breached")
        held.regulatory_waiver_consent = "consent"
        with freeze_time("2027-06-01 10:00:00"):
            self._advance_to(held, "decided")
        self.assertEqual(held.regulatory_state, "met")

    def test_psd_holding_in_time_until_the_extended_deadline(self):
        complaint = self._received("fca_psd", "2027-03-19 18:30:00")
        late = self._received("fca_psd", "2027-03-19 18:30:00")
        Complaint = self.env["complaint.complaint"]
        with freeze_time("2027-04-13 12:00:00"):
            complaint.action_send_holding_response("Scheme dispute pending.")
        with freeze_time("2027-04-14 12:00:00"):
            late.action_send_holding_response("Too late to extend.")
        with freeze_time("2027-04-20 10:00:00"):
            Complaint._cron_regulatory_clock()
        self.assertEqual(complaint.regulatory_state, "holding_sent")
        self.assertEqual(late.regulatory_state, "breached")
        with freeze_time("2027-05-13 10:00:00"):
            Complaint._cron_regulatory_clock()
        self.assertEqual(complaint.regulatory_state, "breached")

    def test_cbi_update_after_forty_business_days_is_lawful(self):
        complaint = self._received("cbi_ie", "2027-03-12 15:00:00")
        deadline = complaint.regulatory_deadline
        with freeze_time(deadline.replace(hour=10)):
            complaint.action_send_holding_response(
                "Waiting for the insurer's loss adjuster.", dt("2027-06-15 12:00:00")
            )
        with freeze_time("2027-06-30 10:00:00"):
            self.env["complaint.complaint"]._cron_regulatory_clock()
        self.assertEqual(complaint.regulatory_state, "holding_sent")

    # ------------------------------------------------------------------
    # 4. Summary resolution communication (DISP 1.5)
    # ------------------------------------------------------------------
    def test_summary_resolution_window_is_about_the_resolution(self):
        # Monday 22 March 2027: the window ends at close of business on
        # Thursday 25 March; resolved on Wednesday 24, written on Monday 29.
        complaint = self._received("fca_disp", "2027-03-22 09:00:00")
        with freeze_time("2027-03-29 09:00:00"):
            with self.assertRaisesRegex(UserError, r"DISP 1\.5\.4R\(3\)"):
                complaint.action_record_resolution(dt("2027-03-24 10:00:00"))
            complaint.regulatory_waiver_consent = "no_consent"
            with self.assertRaisesRegex(UserError, "summary resolution window"):
                complaint.action_record_resolution(dt("2027-03-26 10:00:00"))
            complaint.action_record_resolution(dt("2027-03-24 10:00:00"))
        self.assertEqual(complaint.regulatory_resolved_date, dt("2027-03-24 10:00:00"))
        self.assertEqual(complaint.regulatory_summary_date, dt("2027-03-29 09:00:00"))
        self.assertEqual(complaint.regulatory_state, "met")
        self.assertEqual(complaint.regulatory_met_date, dt("2027-03-24 10:00:00"))
        [body] = self._bodies(complaint, "is resolved")
        self.assertIn("resolved since 03/24/2027", body)
        self.assertIn("may be able to refer", body)
        self.assertIn("https://www.financial-ombudsman.org.uk", body)
        self.assertIn("will not have our permission", body)
        # the sweep leaves it alone after the eight weeks
        with freeze_time("2027-06-01 10:00:00"):
            self.env["complaint.complaint"]._cron_regulatory_clock()
        self.assertEqual(complaint.regulatory_state, "met")

    # ------------------------------------------------------------------
    # 5. ASIC five-day rule (RG 271)
    # ------------------------------------------------------------------
    def test_asic_resolved_within_five_business_days_needs_no_response(self):
        # Monday 25 January 2027, 20:00 in Sydney; Australia Day (26th) is a
        # holiday: the fifth business day after receipt is Tuesday 2 February.
        complaint = self._received("asic_rg271", "2027-01-25 09:00:00")
        asked = self._received("asic_rg271", "2027-01-25 09:00:00")
        self.assertEqual(
            complaint.regulatory_summary_deadline, dt("2027-02-02 12:59:59")
        )
        with freeze_time("2027-01-28 01:00:00"):
            with self.assertRaisesRegex(UserError, "no IDR response"):
                complaint.action_record_resolution()
            with self.assertRaisesRegex(UserError, "record the resolution"):
                complaint.action_send_summary_resolution()
            complaint.action_record_resolution(no_response_reason="satisfied")
            asked.action_record_resolution(
                no_response_reason="satisfied", response_requested=True
            )
        self.assertEqual(complaint.regulatory_state, "met")
        self.assertEqual(complaint.regulatory_no_response_reason, "satisfied")
        with freeze_time("2027-03-01 00:00:00"):
            self.env["complaint.complaint"]._cron_regulatory_clock()
        self.assertEqual(complaint.regulatory_state, "met")
        self.assertFalse(
            complaint.activity_ids.filtered(
                lambda a: a.summary == "Legal deadline missed"
            )
        )
        self.assertEqual(asked.regulatory_state, "breached")

    def test_asic_hardship_complaints_always_get_a_response(self):
        complaint = self._received("asic_rg271_hardship", "2027-01-25 09:00:00")
        self.assertFalse(complaint.regulatory_summary_deadline)
        with freeze_time("2027-01-26 00:00:00"), self.assertRaises(UserError):
            complaint.action_record_resolution(no_response_reason="satisfied")

    # ------------------------------------------------------------------
    # 6. Ireland: the 2025 Regulations, bank holidays
    # ------------------------------------------------------------------
    def test_ireland_profile_cites_the_2025_regulations(self):
        cbi = self.profile["cbi_ie"]
        self.assertIn("(Consumer Protection) Regulations 2025", cbi.citation)
        self.assertEqual(cbi.effective_from, date(2026, 3, 24))
        self.assertIn("made online", cbi.notes)

    def test_irish_calendar_counts_bank_holidays(self):
        days = self.profile["cbi_ie"].calendar_id._complaint_holiday_days([2027])
        self.assertIn(date(2027, 3, 26), days)  # Good Friday: banks closed
        self.assertIn(date(2027, 12, 27), days)  # Christmas Day (Saturday)
        self.assertIn(date(2027, 12, 28), days)  # Saint Stephen's Day (Sunday)
        self.assertIn(date(2027, 2, 1), days)  # Saint Brigid's Day

    def test_calendar_chooses_the_package_categories(self):
        calendar = self.env["resource.calendar"].create(
            {
                "name": "NSW banks",
                "tz": "Australia/Sydney",
                "holiday_country_code": "AU",
                "holiday_subdivision": "NSW",
            }
        )
        self.assertNotIn(date(2027, 8, 2), calendar._complaint_holiday_days([2027]))
        calendar.holiday_categories = "public, bank"
        self.assertIn(date(2027, 8, 2), calendar._complaint_holiday_days([2027]))
        # bad input is refused when saved, naming what the package lacks
        with self.assertRaisesRegex(ValidationError, "categories public, bank"):
            calendar.write({"holiday_country_code": "GB", "holiday_subdivision": "ENG"})
        with self.assertRaisesRegex(UserError, "categories public, bank"):
            calendar._complaint_holiday_days([2027], "GB", "ENG")

    # ------------------------------------------------------------------
    # 7. Which UK nation: the firm's calendar by default
    # ------------------------------------------------------------------
    def test_uk_counts_on_the_firms_calendar_unless_the_profile_says(self):
        self.env.ref(
            "complaint_management.calendar_uk_scotland"
        )._complaint_fill_public_holidays([2027])
        fife = self.env["res.partner"].create(
            {"name": "Fiona Fife", "state_id": self.env.ref("base.state_uk36").id}
        )
        # Saint Andrew's Day (Tuesday 30 November 2027) is Scottish only.
        firm = self._received("fca_disp", "2027-11-26 12:00:00", partner_id=fife.id)
        self.assertEqual(firm.regulatory_summary_deadline, dt("2027-12-01 17:00:00"))
        self.profile["fca_disp"].count_complainant_region = True
        nation = self._received("fca_disp", "2027-11-26 12:00:00", partner_id=fife.id)
        self.assertEqual(nation.regulatory_summary_deadline, dt("2027-12-02 17:00:00"))

    # ------------------------------------------------------------------
    # 8. US: the Federal Reserve's Saturday holidays
    # ------------------------------------------------------------------
    def test_us_calendar_open_on_the_friday_before_a_saturday_holiday(self):
        calendar = self.profile["cfpb"].calendar_id
        days = calendar._complaint_holiday_days([2027])
        self.assertNotIn(date(2027, 12, 24), days)  # Christmas on Saturday
        self.assertNotIn(date(2027, 12, 31), days)  # New Year 2028 on Saturday
        self.assertNotIn(date(2027, 6, 18), days)  # Juneteenth on Saturday
        self.assertIn(date(2027, 7, 5), days)  # Independence Day on Sunday
        leaves = self.env["resource.calendar.leaves"].search(
            [("calendar_id", "=", calendar.id), ("date_from", ">=", "2027-12-20")]
        )
        self.assertNotIn(
            date(2027, 12, 24), {leave.date_from.date() for leave in leaves}
        )

    # ------------------------------------------------------------------
    # 9. ASIC variants
    # ------------------------------------------------------------------
    def test_asic_trustee_and_death_benefit_variants(self):
        trustee = self.profile["asic_rg271_trustee"]
        death = self.profile["asic_rg271_death_benefit"]
        self.assertEqual(
            (trustee.final_value, trustee.final_unit), (45, "calendar_days")
        )
        self.assertEqual((death.final_value, death.final_unit), (90, "calendar_days"))
        self.assertIn("traditional trustee", trustee.citation)
        self.assertIn("death benefit", death.citation)
        # Monday 25 January 2027, 20:00 in Sydney: 90 days later is Monday
        # 25 April 2027, end of day (AEST from 4 April).
        complaint = self._received("asic_rg271_death_benefit", "2027-01-25 09:00:00")
        self.assertEqual(complaint.regulatory_deadline, dt("2027-04-25 13:59:59"))
