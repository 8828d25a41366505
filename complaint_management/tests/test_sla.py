import threading
from datetime import datetime, timedelta

import psycopg2.errors
from freezegun import freeze_time

from odoo import sql_db
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import ComplaintCase


def dt(text):
    return datetime.fromisoformat(text)


@tagged("post_install", "-at_install")
class SlaCase(ComplaintCase):
    """Calendars in UTC so that the expected times read as written, one in
    Asia/Tehran for the time zone and the Saturday-Wednesday week."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Rules shipped or created elsewhere must not interfere.
        cls.env["complaint.sla"].search([]).write({"active": False})
        cls.company.resource_calendar_id.tz = "UTC"
        cls.calendar = cls._calendar("Mon-Fri 9-17", "UTC", range(0, 5))
        # Python weekday: Monday 0 .. Saturday 5, Sunday 6
        cls.calendar_tehran = cls._calendar(
            "Sat-Wed 9-17 Tehran", "Asia/Tehran", (5, 6, 0, 1, 2)
        )
        cls.env["complaint.stage"].search([]).write({"mail_template_id": False})

    @classmethod
    def _calendar(cls, name, tz, weekdays):
        return cls.env["resource.calendar"].create(
            {
                "name": name,
                "tz": tz,
                "company_id": cls.company.id,
                "attendance_ids": [
                    Command.clear(),
                    *(
                        Command.create(
                            {
                                "name": f"Day {day}",
                                "dayofweek": str(day),
                                "hour_from": 9,
                                "hour_to": 17,
                                "day_period": "morning",
                            }
                        )
                        for day in weekdays
                    ),
                ],
            }
        )

    @classmethod
    def _rule(cls, **values):
        vals = {
            "name": "Acknowledge in 4 hours",
            "target_step": "assessed",
            "time_hours": 4,
            "calendar_id": cls.calendar.id,
            "warning_percent": 50,
            "company_id": cls.company.id,
        }
        vals.update(values)
        return cls.env["complaint.sla"].create(vals)

    def _line(self, complaint, rule):
        return complaint.sla_status_ids.filtered(lambda s: s.sla_id == rule)

    def _holiday(self, day):
        """A public holiday of the company (every calendar) on ``day``."""
        return self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": False,
                "company_id": self.company.id,
                "date_from": f"{day} 00:00:00",
                "date_to": f"{day} 23:59:59",
                "time_type": "leave",
            }
        )

    def _assert_restarted(self, complaint, rule, when):
        """Back at investigating, the 16-hour target of ``rule`` counts again
        from ``when`` (a Wednesday 09:00): due Thursday 17:00."""
        self.assertEqual(complaint.step, "investigating")
        line = self._line(complaint, rule)
        self.assertEqual(line.status, "ongoing")
        self.assertFalse(line.reached_date)
        self.assertEqual(line.start_date, dt(when))
        self.assertEqual(line.deadline, dt("2026-01-08 17:00:00"))
        self.assertEqual(complaint.sla_deadline, line.deadline)


class TestSlaDeadlines(SlaCase):
    @freeze_time("2026-01-02 16:00:00")  # a Friday
    def test_friday_afternoon_due_monday_noon(self):
        rule = self._rule()
        complaint = self._create_complaint()
        line = self._line(complaint, rule)
        self.assertEqual(line.deadline, dt("2026-01-05 12:00:00"))
        self.assertEqual(line.warning_date, dt("2026-01-05 10:00:00"))
        self.assertEqual(line.status, "ongoing")
        self.assertEqual(complaint.sla_deadline, dt("2026-01-05 12:00:00"))
        # Same answer as resource.calendar's own planning.
        self.assertEqual(
            self.calendar.plan_hours(
                4, dt("2026-01-02 16:00:00"), compute_leaves=True
            ).replace(tzinfo=None),
            line.deadline,
        )

    @freeze_time("2026-01-02 16:00:00")
    def test_public_holiday_moves_to_tuesday(self):
        self._holiday("2026-01-05")
        rule = self._rule()
        complaint = self._create_complaint()
        self.assertEqual(
            self._line(complaint, rule).deadline, dt("2026-01-06 12:00:00")
        )

    def test_tehran_saturday_to_wednesday(self):
        rule = self._rule(calendar_id=self.calendar_tehran.id, time_hours=6)
        # Wednesday 2026-01-07 16:00 in Tehran (UTC+03:30) = 12:30 UTC: one hour
        # left that day; Thursday and Friday are the weekend; five more hours on
        # Saturday from 09:00 -> Saturday 14:00 Tehran = 10:30 UTC.
        complaint = self._create_complaint(date_received="2026-01-07 12:30:00")
        line = self._line(complaint, rule)
        self.assertEqual(line.deadline, dt("2026-01-10 10:30:00"))
        self.assertEqual(
            self.calendar_tehran.plan_hours(
                6, dt("2026-01-07 12:30:00"), compute_leaves=True
            ).replace(tzinfo=None),
            line.deadline,
        )

    def test_batch_planning_matches_plan_hours(self):
        """The batch planner agrees with resource.calendar.plan_hours."""
        Sla = self.env["complaint.sla"]
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Closure",
                "calendar_id": self.calendar.id,
                "date_from": "2026-02-10 12:00:00",
                "date_to": "2026-02-12 11:00:00",
                "time_type": "leave",
            }
        )
        requests = []
        for calendar in (self.calendar, self.calendar_tehran):
            for hours_offset in range(0, 24 * 14, 7):
                for amount in (0.5, 3, 8, 41, 100):
                    requests.append(
                        (
                            calendar,
                            dt("2026-02-05 03:17:00") + timedelta(hours=hours_offset),
                            amount,
                        )
                    )
        planned = Sla._plan_working_hours(requests)
        for (calendar, start, amount), result in zip(requests, planned):
            expected = calendar.plan_hours(amount, start, compute_leaves=True)
            self.assertEqual(
                result,
                expected.replace(tzinfo=None, microsecond=0),
                f"{calendar.name} {start} + {amount}h",
            )

    @freeze_time("2026-01-05 09:00:00")  # Monday
    def test_pause_moves_deadline_by_paused_working_time(self):
        rule = self._rule(time_hours=16, target_step="responded")
        complaint = self._create_complaint()
        self._advance_to(complaint, "investigating")
        line = self._line(complaint, rule)
        self.assertEqual(line.deadline, dt("2026-01-06 17:00:00"))
        with freeze_time("2026-01-05 14:00:00"):
            complaint.stage_id = self.stage["waiting"]
            self.assertTrue(line.pause_start)
        # 14:00 -> 17:00 Monday: three working hours waiting for the customer,
        # then a night that is not working time anyway.
        with freeze_time("2026-01-06 09:00:00"):
            complaint.stage_id = self.stage["investigating"]
        self.assertFalse(line.pause_start)
        self.assertAlmostEqual(line.paused_hours, 3.0)
        self.assertEqual(line.deadline, dt("2026-01-07 12:00:00"))
        self.assertEqual(complaint.sla_deadline, dt("2026-01-07 12:00:00"))

    @freeze_time("2026-01-05 09:00:00")
    def test_reached_and_failed(self):
        quick = self._rule(name="Assess in 2h", time_hours=2, target_step="assessed")
        slow = self._rule(name="Decide in 40h", time_hours=40, target_step="decided")
        complaint = self._create_complaint()
        with freeze_time("2026-01-05 10:00:00"):
            self._advance_to(complaint, "assessed")
        self.assertEqual(self._line(complaint, quick).status, "reached")
        self.assertEqual(
            self._line(complaint, quick).reached_date, dt("2026-01-05 10:00:00")
        )
        self.assertEqual(self._line(complaint, slow).status, "ongoing")
        self.assertEqual(complaint.sla_deadline, self._line(complaint, slow).deadline)
        # Decided two weeks later: too late, failed with the working hours over.
        with freeze_time("2026-01-19 11:00:00"):
            self._advance_to(complaint, "decided")
        line = self._line(complaint, slow)
        self.assertEqual(line.status, "failed")
        self.assertEqual(line.deadline, dt("2026-01-09 17:00:00"))
        self.assertAlmostEqual(line.exceeded_hours, 5 * 8 + 2)
        self.assertTrue(complaint.sla_failed)
        self.assertFalse(complaint.sla_deadline)
        self.assertIn(
            complaint,
            self.env["complaint.complaint"].search([("sla_failed", "=", True)]),
        )

    @freeze_time("2026-01-05 09:00:00")
    def test_reopen_restarts_later_targets(self):
        self.company.complaint_reopen_window_days = 30
        assess = self._rule(name="Assess", time_hours=2, target_step="assessed")
        decide = self._rule(name="Decide", time_hours=16, target_step="decided")
        complaint = self._create_complaint()
        self._advance_to(complaint, "closed")
        self.assertEqual(self._line(complaint, decide).status, "reached")
        with freeze_time("2026-01-07 09:00:00"):
            complaint.action_reopen()
        self._assert_restarted(complaint, decide, "2026-01-07 09:00:00")
        # The assessment target lies before the reopening step: kept as is.
        self.assertEqual(self._line(complaint, assess).status, "reached")

    def test_matching_criteria(self):
        vip = self.env["res.partner.category"].create({"name": "VIP"})
        self.portal_a.partner_id.category_id = vip
        any_rule = self._rule(name="Any")
        team_rule = self._rule(name="Team Y", team_ids=[Command.set(self.team_y.ids)])
        vip_rule = self._rule(name="VIP", partner_category_ids=[Command.set(vip.ids)])
        urgent = self._rule(name="Urgent", min_priority="2")
        critical = self._rule(name="Critical", severity="critical")
        complaint = self._create_complaint()
        self.assertEqual(complaint.sla_status_ids.sla_id, any_rule | vip_rule)
        # Matching fields change: rules re-applied.
        complaint.write({"category_id": self.category_y.id, "priority": "2"})
        self.assertEqual(complaint.team_id, self.team_y)
        self.assertEqual(
            complaint.sla_status_ids.sla_id, any_rule | team_rule | vip_rule | urgent
        )
        complaint.write({"severity": "critical"})
        self.assertIn(critical, complaint.sla_status_ids.sla_id)
        other = self._create_complaint(partner_id=self.portal_b.partner_id.id)
        self.assertEqual(other.sla_status_ids.sla_id, any_rule)

    @freeze_time("2026-01-05 09:00:00")
    def test_rule_change_reapplies_to_open_complaints(self):
        rule = self._rule(team_ids=[Command.set(self.team_y.ids)], time_hours=4)
        complaint_x = self._create_complaint()
        complaint_y = self._create_complaint(category_id=self.category_y.id)
        closed = self._advance_to(self._create_complaint(), "closed")
        self.assertFalse(complaint_x.sla_status_ids)
        self.assertEqual(complaint_y.sla_status_ids.sla_id, rule)
        rule.team_ids = [Command.set(self.team_x.ids)]
        self.assertEqual(complaint_x.sla_status_ids.sla_id, rule)
        self.assertFalse(
            complaint_y.sla_status_ids, "ongoing line of a rule that no longer applies"
        )
        self.assertFalse(closed.sla_status_ids.filtered(lambda s: s.sla_id == rule))
        rule.time_hours = 10
        self.assertEqual(
            self._line(complaint_x, rule).deadline, dt("2026-01-06 11:00:00")
        )
        rule.active = False
        self.assertFalse(complaint_x.sla_status_ids)
        new_rule = self._rule(name="New", time_hours=8)
        self.assertEqual(complaint_x.sla_status_ids.sla_id, new_rule)
        self.assertEqual(complaint_y.sla_status_ids.sla_id, new_rule)

    @freeze_time("2026-01-02 16:00:00")
    def test_acknowledgement_shows_target_date(self):
        self.env.ref(
            "complaint_management.complaint_stage_acknowledged"
        ).mail_template_id = self.env.ref(
            "complaint_management.mail_template_complaint_acknowledgement"
        )
        self._rule(target_step="decided", time_hours=4)
        complaint = self._create_complaint()
        self.assertEqual(complaint.step, "acknowledged")
        self.assertEqual(self._send_letters(), 1, "one acknowledgement")
        messages = complaint.message_ids.filtered(
            lambda m: "Target date" in (m.body or "")
        )
        self.assertTrue(messages, "the acknowledgement gives the target date")
        self.assertIn("2026", messages[0].body)


class TestSlaEvents(SlaCase):
    """Targets follow what happens to the complaint between two sweeps."""

    @freeze_time("2026-01-05 09:00:00")
    def test_target_reached_late_is_escalated_once(self):
        rule = self._rule(
            name="Decide in 40h",
            time_hours=40,
            target_step="decided",
            escalate_to_id=self.manager.id,
            escalate_raise_priority=True,
            escalate_activity=True,
        )
        complaint = self._create_complaint(priority="1")
        # Decided two weeks later, before any sweep noticed the breach.
        with freeze_time("2026-01-19 11:00:00"):
            self._advance_to(complaint, "decided")
            line = self._line(complaint, rule)
            self.assertEqual(line.status, "failed")
            self.assertTrue(line.escalated)
            self.assertEqual(complaint.priority, "2")
            missed = complaint.activity_ids.filtered(
                lambda a: a.summary == "SLA missed: Decide in 40h"
            )
            self.assertEqual(missed.user_id, self.manager)
            # The sweep finds nothing left to escalate.
            self.env["complaint.sla.status"]._cron_check_sla()
            self.assertEqual(complaint.priority, "2")
            self.assertEqual(
                len(
                    complaint.activity_ids.filtered(lambda a: "SLA missed" in a.summary)
                ),
                1,
            )

    @freeze_time("2026-01-05 09:00:00")
    def test_appeal_restarts_the_targets_after_investigation(self):
        assess = self._rule(name="Assess", time_hours=2, target_step="assessed")
        decide = self._rule(name="Decide", time_hours=16, target_step="decided")
        complaint = self._advance_to(self._create_complaint(), "decided")
        self.assertEqual(self._line(complaint, decide).status, "reached")
        with freeze_time("2026-01-07 09:00:00"):
            complaint.action_appeal("Not what I asked for", handler=self.handler_x2)
        self._assert_restarted(complaint, decide, "2026-01-07 09:00:00")
        self.assertEqual(self._line(complaint, assess).status, "reached")

    def test_customer_tag_changes_rematch_open_complaints(self):
        vip = self.env["res.partner.category"].create({"name": "VIP"})
        vip_rule = self._rule(name="VIP", partner_category_ids=[Command.set(vip.ids)])
        complaint = self._create_complaint()
        closed = self._advance_to(self._create_complaint(), "closed")
        self.assertFalse(complaint.sla_status_ids)
        self.portal_a.partner_id.category_id = vip
        self.assertEqual(complaint.sla_status_ids.sla_id, vip_rule)
        self.assertFalse(closed.sla_status_ids.filtered(lambda s: s.sla_id == vip_rule))
        self.portal_a.partner_id.category_id = False
        self.assertFalse(complaint.sla_status_ids)
        # Tags of the customer's company count too.
        company = self.env["res.partner"].create({"name": "Acme", "is_company": True})
        self.portal_a.partner_id.parent_id = company
        company.category_id = vip
        self.assertEqual(complaint.sla_status_ids.sla_id, vip_rule)


class TestSlaCaches(SlaCase):
    """Rules and calendar timelines are cached per worker: every change that
    matters reaches the next complaint at once."""

    @freeze_time("2026-01-02 16:00:00")  # a Friday
    def test_rule_changes_reach_the_next_complaint(self):
        self.assertFalse(self._create_complaint().sla_status_ids)  # cache warm
        rule = self._rule()
        self.assertEqual(
            self._line(self._create_complaint(), rule).deadline,
            dt("2026-01-05 12:00:00"),
        )
        rule.time_hours = 6
        self.assertEqual(
            self._line(self._create_complaint(), rule).deadline,
            dt("2026-01-05 14:00:00"),
        )
        rule.team_ids = self.env["helpdesk.ticket.team"].create({"name": "Other"})
        self.assertFalse(self._create_complaint().sla_status_ids)
        rule.team_ids = False
        rule.active = False
        self.assertFalse(self._create_complaint().sla_status_ids)
        rule.active = True
        self.assertTrue(self._line(self._create_complaint(), rule))
        rule.unlink()
        self.assertFalse(self._create_complaint().sla_status_ids)

    @freeze_time("2026-01-02 16:00:00")
    def test_holiday_added_later_moves_the_next_deadline(self):
        rule = self._rule()
        first = self._create_complaint()
        self.assertEqual(self._line(first, rule).deadline, dt("2026-01-05 12:00:00"))
        holiday = self._holiday("2026-01-05")
        second = self._create_complaint()
        self.assertEqual(self._line(second, rule).deadline, dt("2026-01-06 12:00:00"))
        holiday.date_from = "2026-01-06 00:00:00"
        holiday.date_to = "2026-01-06 23:59:59"
        third = self._create_complaint()
        self.assertEqual(self._line(third, rule).deadline, dt("2026-01-05 12:00:00"))
        holiday.unlink()
        self.assertEqual(
            self._line(self._create_complaint(), rule).deadline,
            dt("2026-01-05 12:00:00"),
        )

    @freeze_time("2026-01-02 16:00:00")
    def test_working_hours_and_time_zone_changes_reach_the_next_complaint(self):
        rule = self._rule()
        self._create_complaint()
        monday = self.calendar.attendance_ids.filtered(lambda a: a.dayofweek == "0")
        monday.hour_from = 11  # Monday 11-17: Friday 1 h + Monday 3 h
        self.assertEqual(
            self._line(self._create_complaint(), rule).deadline,
            dt("2026-01-05 14:00:00"),
        )
        # Tehran (UTC+03:30): Friday 16:00 UTC is 19:30 there, the day is
        # over; Monday 11:00 local (07:30 UTC) + 4 h = 11:30 UTC.
        self.calendar.tz = "Asia/Tehran"
        self.assertEqual(
            self._line(self._create_complaint(), rule).deadline,
            dt("2026-01-05 11:30:00"),
        )
        monday.unlink()  # no Monday: Tuesday 09:00 local (05:30 UTC) + 4 h
        self.assertEqual(
            self._line(self._create_complaint(), rule).deadline,
            dt("2026-01-06 09:30:00"),
        )


class TestSlaReplan(SlaCase):
    """Deadlines already set follow later changes of public holidays and
    working hours (planned again by a scheduled action)."""

    def _replan(self):
        self.env["complaint.sla.status"]._cron_replan()

    @freeze_time("2026-01-02 16:00:00")  # a Friday
    def test_holiday_moves_ongoing_deadlines_and_back(self):
        rule = self._rule()
        waiting = self._create_complaint()
        assessed = self._advance_to(self._create_complaint(), "assessed")
        line = self._line(waiting, rule)
        self.assertEqual(line.deadline, dt("2026-01-05 12:00:00"))
        reached_deadline = self._line(assessed, rule).deadline
        holiday = self._holiday("2026-01-05")
        self.assertTrue(line.replan)
        self.assertTrue(
            self.env["ir.cron.trigger"].search(
                [
                    (
                        "cron_id",
                        "=",
                        self.env.ref(
                            "complaint_management.ir_cron_complaint_sla_replan"
                        ).id,
                    )
                ]
            )
        )
        self._replan()
        self.assertFalse(line.replan)
        self.assertEqual(line.deadline, dt("2026-01-06 12:00:00"))
        self.assertEqual(line.warning_date, dt("2026-01-06 10:00:00"))
        self.assertEqual(waiting.sla_deadline, dt("2026-01-06 12:00:00"))
        # A reached target is history: not planned again.
        self.assertEqual(self._line(assessed, rule).deadline, reached_deadline)
        holiday.unlink()
        self._replan()
        self.assertEqual(line.deadline, dt("2026-01-05 12:00:00"))

    @freeze_time("2026-01-02 16:00:00")
    def test_working_hours_change_moves_ongoing_deadlines(self):
        rule = self._rule()
        line = self._line(self._create_complaint(), rule)
        other = self._rule(name="Other calendar", calendar_id=self.calendar_tehran.id)
        other_line = self._line(self._create_complaint(), other)
        monday = self.calendar.attendance_ids.filtered(lambda a: a.dayofweek == "0")
        monday.hour_from = 11
        self.assertTrue(line.replan)
        self.assertFalse(other_line.replan)  # another calendar: untouched
        self._replan()
        self.assertEqual(line.deadline, dt("2026-01-05 14:00:00"))
        # Renaming a calendar changes no working time.
        self.calendar.name = "Renamed"
        self.assertFalse(line.replan)


class TestSlaCron(SlaCase):
    def _run_cron(self):
        return self.env["complaint.sla.status"]._cron_check_sla()

    @freeze_time("2026-01-05 09:00:00")
    def test_warning_and_breach_once(self):
        rule = self._rule(
            time_hours=4,
            warning_percent=50,
            escalate_to_id=self.manager.id,
            escalate_raise_priority=True,
            escalate_activity=True,
        )
        complaint = self._create_complaint(user_id=self.handler_x.id)
        line = self._line(complaint, rule)
        Activity = self.env["mail.activity"]

        def activities(user):
            return Activity.search(
                [
                    ("res_model", "=", complaint._name),
                    ("res_id", "=", complaint.id),
                    ("user_id", "=", user.id),
                ]
            )

        self._run_cron()
        self.assertFalse(line.warned)
        with freeze_time("2026-01-05 11:00:00"):
            self._run_cron()
            self._run_cron()
        self.assertTrue(line.warned)
        self.assertEqual(line.status, "ongoing")
        self.assertEqual(len(activities(self.handler_x)), 1)
        self.assertIn("SLA warning", activities(self.handler_x).summary)
        warned = self.env["mail.message"].search(
            [
                ("model", "=", complaint._name),
                ("res_id", "=", complaint.id),
                ("subject", "=", "Complaint SLA warning"),
            ]
        )
        self.assertEqual(len(warned), 1, "one e-mail to the handler")
        self.assertEqual(warned.partner_ids, self.handler_x.partner_id)
        with freeze_time("2026-01-05 13:30:00"):
            self.assertEqual(self._run_cron(), 1)
            self.assertEqual(self._run_cron(), 0)
        self.assertEqual(line.status, "failed")
        self.assertTrue(line.escalated)
        self.assertAlmostEqual(line.exceeded_hours, 0.5)
        self.assertTrue(complaint.sla_failed)
        self.assertEqual(complaint.priority, "1")
        self.assertEqual(len(activities(self.manager)), 1)
        self.assertIn("SLA missed", activities(self.manager).summary)
        notified = self.env["mail.message"].search(
            [
                ("model", "=", complaint._name),
                ("res_id", "=", complaint.id),
                ("subject", "=", "Complaint SLA escalation"),
            ]
        )
        self.assertEqual(len(notified), 1)
        self.assertEqual(notified.partner_ids, self.manager.partner_id)

    @freeze_time("2026-01-05 09:00:00")
    def test_paused_target_neither_warned_nor_breached(self):
        rule = self._rule(time_hours=2, target_step="responded")
        complaint = self._create_complaint()
        self._advance_to(complaint, "investigating")
        complaint.stage_id = self.stage["waiting"]
        with freeze_time("2026-01-06 09:00:00"):
            self._run_cron()
        line = self._line(complaint, rule)
        self.assertEqual(line.status, "ongoing")
        self.assertFalse(line.warned)

    @freeze_time("2026-01-05 09:00:00")
    def test_cancelled_complaint_not_escalated(self):
        rule = self._rule(time_hours=2, escalate_to_id=self.manager.id)
        complaint = self._create_complaint()
        complaint.action_cancel("Sent to the wrong company")
        with freeze_time("2026-01-06 09:00:00"):
            self.assertEqual(self._run_cron(), 0)
        line = self._line(complaint, rule)
        self.assertEqual(line.status, "ongoing")
        self.assertTrue(line.pause_start)

    @freeze_time("2026-01-05 09:00:00")
    def test_handler_edits_complaint_with_targets(self):
        """Handlers only read SLA lines; their edits still move the targets."""
        rule = self._rule(time_hours=4, target_step="responded")
        complaint = self._create_complaint(user_id=self.handler_x.id)
        as_handler = complaint.with_user(self.handler_x)
        as_handler.write({"date_received": "2026-01-05 10:00:00"})
        self.assertEqual(
            self._line(complaint, rule).deadline, dt("2026-01-05 14:00:00")
        )
        self._advance_to(complaint, "assessed")
        as_handler.stage_id = self.stage["investigating"]
        as_handler.stage_id = self.stage["waiting"]
        self.assertTrue(self._line(complaint, rule).pause_start)
        self.assertEqual(
            as_handler.sla_status_ids.mapped("status"), ["ongoing"], "handler reads"
        )

    @freeze_time("2026-01-05 09:00:00")
    def test_batches(self):
        rule = self._rule(time_hours=1, warning_percent=0)
        complaints = self.env["complaint.complaint"]
        for _i in range(7):
            complaints |= self._create_complaint()
        with freeze_time("2026-01-05 12:00:00"):
            done = self.env["complaint.sla.status"]._cron_check_sla(batch_size=3)
        self.assertEqual(done, 7)
        self.assertEqual(
            set(
                complaints.sla_status_ids.filtered(lambda s: s.sla_id == rule).mapped(
                    "status"
                )
            ),
            {"failed"},
        )


@tagged("post_install", "-at_install", "performance")
class TestSlaCronQueries(SlaCase):
    def _sweep_queries(self, count):
        """Queries of one sweep with ``count`` open complaints, one of them due."""
        category = self.env["complaint.category"].create(
            {"name": f"Sweep {count}", "team_id": self.team_x.id}
        )
        with freeze_time("2026-01-05 09:00:00"):
            self._rule(
                time_hours=4,
                warning_percent=0,
                escalate_activity=False,
                category_ids=[Command.set(category.ids)],
            )
            self.env["complaint.complaint"].create(
                [
                    {
                        "name": f"Complaint {i}",
                        "category_id": category.id,
                        "channel_id": self.channel_phone.id,
                        "date_received": "2026-01-05 09:00:00",
                    }
                    for i in range(count)
                ]
            )
            self._create_complaint(
                category_id=category.id, date_received="2026-01-02 09:00:00"
            )
        with freeze_time("2026-01-05 11:00:00"):
            self.env.flush_all()
            self.env.invalidate_all()
            queries_before = self.cr.sql_log_count
            done = self.env["complaint.sla.status"]._cron_check_sla()
            self.env.flush_all()
            self.assertEqual(done, 1)
            return self.cr.sql_log_count - queries_before

    def test_sweep_query_count_does_not_grow(self):
        self._sweep_queries(1)  # warm-up: caches (ir.model, xmlids) filled
        small = self._sweep_queries(5)
        large = self._sweep_queries(50)
        self.assertEqual(small, large)
        self.assertLess(large, 40)

    def test_sweep_query_count_nothing_due(self):
        with freeze_time("2026-01-05 09:00:00"):
            self._rule(time_hours=4)
            for count in (5, 50):
                self.env["complaint.complaint"].create(
                    [
                        {"name": f"C{i}", "channel_id": self.channel_phone.id}
                        for i in range(count)
                    ]
                )
                self.env.flush_all()
                self.env.invalidate_all()
                with self.assertQueryCount(2):  # one claim per kind
                    self.env["complaint.sla.status"]._cron_check_sla()


@tagged("post_install", "-at_install")
class TestSlaClaimConcurrency(SlaCase):
    """Two real PostgreSQL connections claim the same due rows at once (as two
    cron workers or two servers would): each row goes to exactly one."""

    def setUp(self):
        super().setUp()
        # A scratch schema holding a table of the model's name: the claims of
        # these connections find it first on their search path (below), so
        # the model's own query runs on rows that can be committed freely.
        self.schema = "complaint_claim_test"
        self.db = sql_db.db_connect(self.env.cr.dbname)
        with self.db.cursor() as cr:
            cr.execute(
                SQL("DROP SCHEMA IF EXISTS %s CASCADE", SQL.identifier(self.schema))
            )
            cr.execute(SQL("CREATE SCHEMA %s", SQL.identifier(self.schema)))
            cr.execute(
                SQL(
                    "CREATE TABLE %s (LIKE public.complaint_sla_status "
                    "INCLUDING DEFAULTS)",
                    SQL.identifier(self.schema, "complaint_sla_status"),
                )
            )
            cr.execute(
                SQL(
                    """
                    INSERT INTO %s (id, complaint_id, sla_id, target_step,
                           start_date, deadline, warning_date, status,
                           warned, escalated)
                    SELECT n, 1, 1, 'assessed', '2026-01-05 09:00', '2026-01-05 13:00',
                           '2026-01-05 11:00', 'ongoing', false, false
                      FROM generate_series(1, 40) n
                    """,
                    SQL.identifier(self.schema, "complaint_sla_status"),
                )
            )
        self.addCleanup(self._drop)

    def _drop(self):
        with self.db.cursor() as cr:
            cr.execute(
                SQL("DROP SCHEMA IF EXISTS %s CASCADE", SQL.identifier(self.schema))
            )

    def _claim(self, cr, kind, limit=25):
        # For this transaction only (the pooled connection keeps its path).
        cr.execute(
            "SELECT set_config('search_path', %s || ',' || "
            "current_setting('search_path'), true)",
            [self.schema],
        )
        cr.execute(
            self.env["complaint.sla.status"]._claim_sql(
                kind, dt("2026-01-05 14:00:00"), limit
            )
        )
        return {row[0] for row in cr.fetchall()}

    def test_two_connections_claim_disjoint_rows(self):
        for kind in ("warning", "breach"):
            with self.db.cursor() as cr_a, self.db.cursor() as cr_b:
                first = self._claim(cr_a, kind)  # cr_a holds its locks, uncommitted
                second = self._claim(cr_b, kind)  # skips them: takes the others
                self.assertEqual(len(first), 25)
                self.assertEqual(len(second), 15)
                self.assertFalse(first & second)
                cr_a.commit()
                cr_b.commit()
            with self.db.cursor() as cr:
                self.assertEqual(self._claim(cr, kind), set(), "nothing left to claim")

    @mute_logger("odoo.sql_db")  # the serialization failures retried below
    def test_threads_claim_each_row_once(self):
        claimed, errors, retries = [], [], []
        barrier = threading.Barrier(2)

        def worker():
            # As the cron does: one transaction per batch. A worker whose
            # snapshot predates the other's commit gets a serialization failure
            # on those rows (REPEATABLE READ): its batch rolls back, nothing is
            # processed twice, and it claims what is left on the next try.
            try:
                with self.db.cursor() as cr:
                    barrier.wait(timeout=10)
                    mine = set()
                    while True:
                        try:
                            batch = self._claim(cr, "warning", limit=4)
                            cr.commit()  # pylint: disable=invalid-commit
                        except psycopg2.errors.SerializationFailure:
                            cr.rollback()
                            retries.append(1)
                            continue
                        if not batch:
                            break
                        mine |= batch
                    claimed.append(mine)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=worker) for _i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        self.assertFalse(errors)
        self.assertEqual(len(claimed), 2)
        self.assertFalse(claimed[0] & claimed[1])
        self.assertEqual(len(claimed[0] | claimed[1]), 40)
