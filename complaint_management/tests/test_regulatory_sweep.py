"""The legal-clock sweep claims its complaints in batches and tells the
handlers with one activity create per batch."""

from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ComplaintCase

NEAR = "Legal deadline near"


@tagged("post_install", "-at_install")
class TestRegulatorySweep(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.psd = cls.env.ref("complaint_management.regulatory_profile_fca_psd")
        cls.psd.calendar_id._complaint_fill_public_holidays([2027])

    def _received(self, count):
        # FCA PSD: due 13 April 2027 (extended 12 May), due soon 5 days before
        return self.env["complaint.complaint"].create(
            [
                {
                    "name": f"Payment refused {n}",
                    "partner_id": self.portal_a.partner_id.id,
                    "category_id": self.category_x.id,
                    "channel_id": self.channel_phone.id,
                    "user_id": self.handler_x.id,
                    "regulatory_profile_id": self.psd.id,
                    "date_received": datetime(2027, 3, 19, 18, 30),
                }
                for n in range(count)
            ]
        )

    def _track(self):
        """Log the tracked changes (as the commit does)."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _sweep(self, **kwargs):
        """Run the sweep; return it result and the sizes of the activity
        creates of the sweep."""
        Activity = type(self.env["mail.activity"])
        original = Activity.create
        creates = []

        def create(records, vals_list):
            vals_list = vals_list if isinstance(vals_list, list) else [vals_list]
            if any(vals.get("summary") == NEAR for vals in vals_list):
                creates.append(len(vals_list))
            return original(records, vals_list)

        with patch.object(Activity, "create", create):
            result = self.env["complaint.complaint"]._cron_regulatory_clock(**kwargs)
        return result, creates

    def test_batches_move_past_complaints_that_do_not_change(self):
        # Held (holding response already sent): candidates of the sweep whose
        # state does not change, with the lowest ids.
        with freeze_time("2027-03-22 10:00:00"):
            held = self._received(3)
            # under PSD the holding reply is the handler's, with the reasons
            held._regulatory_send_holding(reason="Waiting for the payee's bank")
            due = self._received(3)
            self._track()
        self.assertEqual(set(held.mapped("regulatory_state")), {"holding_sent"})
        self.assertEqual(set(due.mapped("regulatory_state")), {"on_time"})
        with freeze_time("2027-04-09 10:00:00"):
            result, creates = self._sweep(batch_size=2)
            self._track()
        self.assertEqual(result, {"due_soon": 3})
        # the sweep warns; the PSD holding reply stays the handler's decision
        # (DISP 1.6.2AR: reasons for the delay, given by the handler)
        self.assertEqual(set(due.mapped("regulatory_state")), {"due_soon"})
        self.assertEqual(set(due.mapped("regulatory_holding_date")), {False})
        for complaint in due:
            self.assertEqual(
                len(complaint.activity_ids.filtered(lambda a: a.summary == NEAR)), 1
            )
        self.assertFalse(held.activity_ids.filtered(lambda a: a.summary == NEAR))
        # batches of two: held, held | held, due | due, due
        self.assertEqual(creates, [1, 2])
        # the chatter logs each change once, as tracking does; nothing for
        # the held ones, whose state did not change
        for complaint in due | held:
            values = complaint.message_ids.tracking_value_ids.filtered(
                lambda v: v.field_id.name == "regulatory_state"
            )
            expected = [("On time", "Due soon", datetime(2027, 4, 9, 10))]
            self.assertEqual(
                [
                    (v.old_value_char, v.new_value_char, v.mail_message_id.date)
                    for v in values
                ],
                expected if complaint in due else [],
            )
        # nothing changes on the next run
        with freeze_time("2027-04-09 11:00:00"):
            result, creates = self._sweep(batch_size=2)
        self.assertEqual((result, creates), ({}, []))

    def test_one_activity_create_and_one_mail_per_handler_per_batch(self):
        with freeze_time("2027-03-22 10:00:00"):
            due = self._received(4)
            due[:2].user_id = self.handler_x2
        with freeze_time("2027-04-09 10:00:00"):
            result, creates = self._sweep()
        self.assertEqual(result, {"due_soon": 4})
        self.assertEqual(creates, [4])
        digests = self.env["mail.message"].search(
            [
                ("model", "=", "complaint.complaint"),
                ("res_id", "in", due.ids),
                ("subject", "=", NEAR),
            ]
        )
        self.assertEqual(
            sorted(digests.partner_ids.ids),
            sorted((self.handler_x | self.handler_x2).partner_id.ids),
        )
        self.assertEqual(len(digests), 2)
