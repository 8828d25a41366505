import statistics
from collections import Counter
from datetime import date, datetime, timedelta

from odoo.fields import Command
from odoo.tests import tagged

from .common import ReportCase, pdf_to_text


@tagged("post_install", "-at_install")
class TestManagementReview(ReportCase):
    """The figures of the review equal counts computed here independently."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.channel_email = cls.env.ref("complaint_management.complaint_channel_email")
        cls.cause_b = cls.env["complaint.root.cause"].create({"name": "Wrong address"})
        cls.category_z = cls.env["complaint.category"].create(
            {"name": "Packaging", "team_id": cls.team_x.id}
        )
        # Met by every complaint (acknowledged at once) and missed by every
        # complaint decided now for a receipt in 2025.
        cls.sla_rules = cls.env["complaint.sla"].create(
            [
                {
                    "name": "Acknowledge",
                    "target_step": "acknowledged",
                    "time_hours": 100000,
                    "calendar_id": cls.company.resource_calendar_id.id,
                },
                {
                    "name": "Decide",
                    "target_step": "decided",
                    "time_hours": 1,
                    "calendar_id": cls.company.resource_calendar_id.id,
                },
            ]
        )
        # Period: March 2025; previous period of equal length: 29 Jan - 28 Feb.
        cls.period = (date(2025, 3, 1), date(2025, 3, 31))
        specs = [
            # (day received, category, channel, severity, step)
            (
                datetime(2025, 3, 2, 9),
                cls.category_x,
                cls.channel_phone,
                "high",
                "closed",
            ),
            (
                datetime(2025, 3, 5, 9),
                cls.category_x,
                cls.channel_email,
                "medium",
                "closed",
            ),
            (
                datetime(2025, 3, 9, 9),
                cls.category_z,
                cls.channel_email,
                "low",
                "decided",
            ),
            (
                datetime(2025, 3, 20, 9),
                cls.category_x,
                cls.channel_phone,
                "critical",
                "assessed",
            ),
            (
                datetime(2025, 3, 31, 23),
                cls.category_y,
                cls.channel_phone,
                False,
                "acknowledged",
            ),
            # previous period
            (
                datetime(2025, 2, 10, 9),
                cls.category_x,
                cls.channel_phone,
                "low",
                "closed",
            ),
            (
                datetime(2025, 1, 29, 0),
                cls.category_y,
                cls.channel_phone,
                "low",
                "acknowledged",
            ),
            # outside both periods
            (
                datetime(2025, 4, 1, 0),
                cls.category_x,
                cls.channel_phone,
                "low",
                "acknowledged",
            ),
            (
                datetime(2025, 1, 28, 23),
                cls.category_x,
                cls.channel_phone,
                "low",
                "acknowledged",
            ),
        ]
        cls.complaints = cls.env["complaint.complaint"]
        for received, category, channel, severity, step in specs:
            complaint = cls._create_complaint(
                partner_id=cls.customer_en.id,
                category_id=category.id,
                channel_id=channel.id,
                date_received=received,
            )
            cls._advance_to(complaint, step)
            if severity:
                complaint.severity = severity
            cls.complaints |= complaint
        # Known durations per step (hours) for the March complaints.
        for index, complaint in enumerate(cls.complaints[:5]):
            received = complaint.date_received
            values = {"date_acknowledged": received + timedelta(hours=2 + index)}
            if complaint.step in ("assessed", "decided", "closed"):
                values["date_assessed"] = received + timedelta(hours=10 + 3 * index)
            if complaint.step in ("decided", "closed"):
                values["date_responded"] = received + timedelta(hours=30 + index)
                values["date_decided"] = received + timedelta(hours=50 + 5 * index)
            if complaint.step == "closed":
                values["date_closed"] = received + timedelta(hours=70 + 7 * index)
            complaint.write(values)
        cls.complaints[1].root_cause_id = cls.cause_b
        # Ratings: two satisfied, one not.
        model = cls.env["ir.model"]._get("complaint.complaint")
        for complaint, value in zip(cls.complaints[:3], (5, 5, 1), strict=True):
            cls.env["rating.rating"].create(
                {
                    "res_model_id": model.id,
                    "res_id": complaint.id,
                    "rating": value,
                    "consumed": True,
                    "partner_id": cls.customer_en.id,
                }
            )
        # Actions: one open and overdue, one open on time, one done.
        Action = cls.env["complaint.action"]
        Action.create(
            {
                "complaint_id": cls.complaints[3].id,
                "name": "Retrain carrier",
                "date_deadline": date.today() - timedelta(days=3),
            }
        )
        Action.create(
            {
                "complaint_id": cls.complaints[3].id,
                "name": "New packaging",
                "date_deadline": date.today() + timedelta(days=30),
                "action_type": "preventive",
            }
        )
        Action.create(
            {"complaint_id": cls.complaints[4].id, "name": "Done already"}
        ).action_done()
        cls.wizard = cls.env["complaint.management.review.wizard"].create(
            {"date_from": cls.period[0], "date_to": cls.period[1]}
        )

    def _in_period(self, start, end, team=None):
        return self.complaints.filtered(
            lambda c: (
                start <= c.date_received.date() <= end
                and (not team or c.team_id == team)
            )
        )

    def test_previous_period_of_equal_length(self):
        self.assertEqual(
            self.wizard._previous_period(), (date(2025, 1, 29), date(2025, 2, 28))
        )

    def test_volumes_and_trend(self):
        data = self.wizard._get_review_data()
        current = self._in_period(*self.period)
        previous = self._in_period(date(2025, 1, 29), date(2025, 2, 28))
        self.assertEqual(data["total"], len(current))
        self.assertEqual(data["total"], 5)
        self.assertEqual(data["previous_total"], len(previous))
        self.assertAlmostEqual(
            data["trend_percent"],
            100.0 * (len(current) - len(previous)) / len(previous),
        )
        self.assertEqual(
            data["closed"], len(current.filtered(lambda c: c.step == "closed"))
        )
        for fname, key in (
            ("category_id", "display_name"),
            ("channel_id", "display_name"),
        ):
            expected = Counter(c[fname][key] for c in current)
            expected_prev = Counter(c[fname][key] for c in previous)
            got = {line["label"]: line["count"] for line in data["volumes"][fname]}
            got_prev = {
                line["label"]: line["previous"] for line in data["volumes"][fname]
            }
            self.assertEqual(got, {k: expected.get(k, 0) for k in got})
            self.assertEqual(sum(got.values()), len(current))
            self.assertEqual(got_prev, {k: expected_prev.get(k, 0) for k in got_prev})
        labels = dict(
            self.env["complaint.complaint"]
            ._fields["severity"]
            ._description_selection(self.env)
        )
        expected = Counter(labels.get(c.severity) or "Not set" for c in current)
        got = {line["label"]: line["count"] for line in data["volumes"]["severity"]}
        self.assertEqual(got, {k: expected.get(k, 0) for k in got})
        self.assertEqual(sum(got.values()), len(current))

    def test_vulnerable_customers_counted_not_named(self):
        current = self._in_period(*self.period)
        self.assertEqual(self.wizard._get_review_data()["vulnerable"], 0)
        current[:2].sudo().write(
            {
                "vulnerability_ids": [
                    Command.create({"driver": "health", "note": "Recently bereaved"})
                ]
            }
        )
        outside = self._in_period(date(2025, 1, 29), date(2025, 2, 28))
        outside[:1].sudo().write(
            {"vulnerability_ids": [Command.create({"driver": "capability"})]}
        )
        self.assertEqual(self.wizard._get_review_data()["vulnerable"], 2)
        html = self.render_html(
            "complaint_management_reports.action_report_complaint_management_review",
            self.wizard,
        )
        self.assertIn("From vulnerable customers", html)
        self.assertNotIn("Recently bereaved", html)
        for complaint in current[:2]:
            self.assertNotIn(complaint.reference, html)

    def test_same_figures_after_anonymisation(self):
        def figures():
            data = self.wizard._get_review_data()
            return {
                key: data[key]
                for key in ("total", "previous_total", "closed", "open", "volumes")
            } | {"step_times": data["step_times"]}

        before = figures()
        self.complaints._anonymize("Test retention rule")
        self.env.invalidate_all()
        self.assertTrue(all(self.complaints.mapped("anonymized_date")))
        self.assertEqual(figures(), before)

    def test_team_filter(self):
        self.wizard.team_ids = self.team_y
        data = self.wizard._get_review_data()
        self.assertEqual(
            data["total"], len(self._in_period(*self.period, team=self.team_y))
        )

    def test_times_per_step(self):
        data = self.wizard._get_review_data()
        current = self._in_period(*self.period)
        steps = {line["key"]: line for line in data["step_times"]}
        pairs = {
            "acknowledge": ("date_received", "date_acknowledged"),
            "assess": ("date_acknowledged", "date_assessed"),
            "decide": ("date_responded", "date_decided"),
            "total": ("date_received", "date_closed"),
        }
        for key, (start, end) in pairs.items():
            hours = [
                (c[end] - c[start]).total_seconds() / 3600
                for c in current
                if c[start] and c[end]
            ]
            self.assertEqual(steps[key]["count"], len(hours), key)
            self.assertAlmostEqual(steps[key]["mean"], statistics.mean(hours), places=4)
            self.assertAlmostEqual(
                steps[key]["median"], statistics.median(hours), places=4
            )
        # working hours: never more than the calendar hours
        for key in pairs:
            self.assertIsNotNone(steps[key]["working_mean"], key)
            self.assertLessEqual(steps[key]["working_mean"], steps[key]["mean"] + 1e-6)

    def test_satisfaction_root_causes_actions(self):
        data = self.wizard._get_review_data()
        satisfaction = data["satisfaction"]
        self.assertEqual(satisfaction["count"], 3)
        self.assertAlmostEqual(satisfaction["average"], 11 / 3)
        self.assertAlmostEqual(satisfaction["satisfied_percent"], 200 / 3)
        causes = {line["label"]: line["count"] for line in data["root_causes"]}
        current_closed = self._in_period(*self.period).filtered("root_cause_id")
        self.assertEqual(
            causes, dict(Counter(c.root_cause_id.display_name for c in current_closed))
        )
        self.assertEqual(data["root_causes"][0]["count"], max(causes.values()))
        actions = data["actions"]
        self.assertEqual(actions["open"], 2)
        self.assertEqual(actions["overdue"], 1)
        self.assertEqual(actions["overdue_actions"].name, "Retrain carrier")

    def test_sla_figures(self):
        data = self.wizard._get_review_data()
        current = self._in_period(*self.period)
        statuses = current.sla_status_ids
        counts = Counter(statuses.mapped("status"))
        self.assertEqual(data["sla"]["reached"], counts["reached"])
        self.assertEqual(data["sla"]["failed"], counts["failed"])
        self.assertEqual(data["sla"]["ongoing"], counts["ongoing"])
        # 5 acknowledged on time; 3 decided late (2 closed, 1 decided)
        self.assertEqual(counts["reached"], 5)
        self.assertEqual(counts["failed"], 3)
        self.assertAlmostEqual(data["sla"]["compliance"], 100.0 * 5 / 8)

    def test_sla_compliance_by_rule_and_team(self):
        report = self.env["report.complaint_management_reports.report_sla_compliance"]
        figures = report._compliance(self.wizard)
        current = self._in_period(*self.period)
        by_rule = {line["label"]: line for line in figures["rule"]}
        for rule in self.sla_rules:
            lines = current.sla_status_ids.filtered(lambda s, r=rule: s.sla_id == r)
            self.assertEqual(
                by_rule[rule.display_name]["met"],
                len(lines.filtered(lambda s: s.status == "reached")),
            )
            self.assertEqual(
                by_rule[rule.display_name]["failed"],
                len(lines.filtered(lambda s: s.status == "failed")),
            )
            failed = lines.filtered(lambda s: s.status == "failed")
            if failed:
                self.assertAlmostEqual(
                    by_rule[rule.display_name]["worst_overrun"],
                    max(failed.mapped("exceeded_hours")),
                )
        by_team = {line["label"]: line for line in figures["team"]}
        for team in current.team_id:
            lines = current.filtered(lambda c, t=team: c.team_id == t).sla_status_ids
            self.assertEqual(
                by_team[team.display_name]["met"],
                len(lines.filtered(lambda s: s.status == "reached")),
            )

    def test_bar_chart_geometry(self):
        chart = self.wizard._bar_chart([("a", 10, 5), ("b", 5, 0)])
        first, second = chart["bars"]
        self.assertEqual(first["w"], 2 * second["w"])
        self.assertEqual(first["w2"], second["w"])
        rtl = self.wizard._bar_chart([("a", 10, 5)], rtl=True)["bars"][0]
        self.assertAlmostEqual(rtl["x"] + rtl["w"], chart["width"] - first["x"])

    def test_review_pdf_has_figures_and_vector_charts(self):
        html = self.render_html(
            "complaint_management_reports.action_report_complaint_management_review",
            self.wizard,
        )
        self.assertIn("<svg", html)
        self.assertIn("<rect", html)
        text = pdf_to_text(
            self.render_pdf(
                "complaint_management_reports.action_report_complaint_management_review",
                self.wizard,
            )
        )
        self.assertIn("Complaints management review", text)
        self.assertIn(self.category_x.name, text)
        self.assertIn("Retrain carrier", text)

    def test_review_pdf_persian(self):
        wizard = self.wizard.with_context(lang="fa_IR")
        html = self.render_html(
            "complaint_management_reports.action_report_complaint_management_review",
            wizard,
        )
        self.assertIn('text-anchor="start"', html)  # labels mirrored for RTL
        self.assertTrue(
            self.render_pdf(
                "complaint_management_reports.action_report_complaint_management_review",
                wizard,
            )
        )

    def test_sla_compliance_pdf(self):
        text = pdf_to_text(
            self.render_pdf(
                "complaint_management_reports.action_report_complaint_sla_compliance",
                self.wizard,
            )
        )
        self.assertIn("SLA compliance", text)
        self.assertIn("Decide", text)
        self.assertIn("Team X", text)

    def test_wizard_actions(self):
        wizard = self.wizard.with_context(discard_logo_check=True)
        action = wizard.action_print_review()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(
            action["report_name"],
            "complaint_management_reports.report_management_review",
        )
        action = wizard.action_print_sla_compliance()
        self.assertEqual(action["type"], "ir.actions.report")
