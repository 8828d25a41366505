import statistics
from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.complaint_management.models.complaint_sla_status import SLA_ONGOING
from odoo.addons.complaint_management.models.complaint_stage import STEP_CLOSED

from ..models.complaint import STEP_DURATIONS

CHART_COLORS = ("#2f6f9f", "#b8c4ce")


class ComplaintManagementReviewWizard(models.TransientModel):
    """Input of the management review (ISO 10002:2018 §8.6) and the SLA
    compliance report: a period, the teams and the company."""

    _name = "complaint.management.review.wizard"
    _description = "Complaints management review"

    def _default_date_from(self):
        today = fields.Date.context_today(self)
        return (today.replace(day=1) - timedelta(days=1)).replace(day=1)

    def _default_date_to(self):
        return fields.Date.context_today(self).replace(day=1) - timedelta(days=1)

    date_from = fields.Date(
        string="From", required=True, default=lambda self: self._default_date_from()
    )
    date_to = fields.Date(
        string="To", required=True, default=lambda self: self._default_date_to()
    )
    team_ids = fields.Many2many(
        "helpdesk.ticket.team", string="Teams", help="Empty means every team."
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(
                    self.env._("The period must end after it starts.")
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_print_review(self):
        return self.env.ref(
            "complaint_management_reports.action_report_complaint_management_review"
        ).report_action(self)

    def action_print_sla_compliance(self):
        return self.env.ref(
            "complaint_management_reports.action_report_complaint_sla_compliance"
        ).report_action(self)

    # ------------------------------------------------------------------
    # Periods and domains
    # ------------------------------------------------------------------
    def _previous_period(self):
        """The period of equal length just before this one."""
        self.ensure_one()
        length = (self.date_to - self.date_from).days + 1
        prev_to = self.date_from - timedelta(days=1)
        return prev_to - timedelta(days=length - 1), prev_to

    def _complaint_domain(self, date_from=None, date_to=None):
        """Complaints received in the period (UTC days), company and teams."""
        self.ensure_one()
        date_from = date_from or self.date_from
        date_to = date_to or self.date_to
        domain = Domain(
            [
                ("company_id", "=", self.company_id.id),
                ("date_received", ">=", datetime.combine(date_from, time.min)),
                (
                    "date_received",
                    "<",
                    datetime.combine(date_to + timedelta(days=1), time.min),
                ),
            ]
        )
        if self.team_ids:
            domain &= Domain("team_id", "in", self.team_ids.ids)
        return domain

    def _is_rtl(self):
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        return (lang.direction if lang else "ltr") == "rtl"

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------
    def _volumes(self, fname, domain, prev_domain):
        """Counts per value of ``fname`` in this and the previous period."""
        Complaint = self.env["complaint.complaint"]
        field = Complaint._fields[fname]
        current = dict(Complaint._read_group(domain, [fname], ["__count"]))
        previous = dict(Complaint._read_group(prev_domain, [fname], ["__count"]))
        if field.type == "selection":
            labels = dict(field._description_selection(self.env))

            def label(key):
                return labels.get(key) if key else self.env._("Not set")

        else:

            def label(key):
                return key.display_name if key else self.env._("Not set")

        keys = sorted(
            set(current) | set(previous),
            key=lambda k: (-current.get(k, 0), -previous.get(k, 0), str(label(k))),
        )
        total = sum(current.values()) or 1
        return [
            {
                "label": label(key),
                "count": current.get(key, 0),
                "previous": previous.get(key, 0),
                "percent": 100.0 * current.get(key, 0) / total,
            }
            for key in keys
        ]

    def _step_times(self, domain):
        """Mean and median calendar hours per step, set-based in SQL."""
        Complaint = self.env["complaint.complaint"]
        query = Complaint._search(domain)
        keys = SQL(", ").join(SQL("%s", key) for key, _s, _e in STEP_DURATIONS)
        hours = SQL(", ").join(
            SQL(
                "EXTRACT(EPOCH FROM (c.%s - c.%s)) / 3600.0",
                SQL.identifier(end),
                SQL.identifier(start),
            )
            for _key, start, end in STEP_DURATIONS
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT t.step, COUNT(*), AVG(t.hours),
                       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY t.hours)
                  FROM complaint_complaint c
            CROSS JOIN LATERAL UNNEST(ARRAY[%s], ARRAY[%s]) AS t(step, hours)
                 WHERE c.id IN %s AND t.hours IS NOT NULL
              GROUP BY t.step
                """,
                keys,
                hours,
                query.subselect(),
            )
        )
        found = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        working = self._step_working_hours(query)
        labels = self._step_labels()
        return [
            {
                "key": key,
                "label": labels[key],
                "count": found.get(key, (0, None, None))[0],
                "mean": found.get(key, (0, None, None))[1],
                "median": found.get(key, (0, None, None))[2],
                "working_mean": working.get(key, (None, None))[0],
                "working_median": working.get(key, (None, None))[1],
            }
            for key, _s, _e in STEP_DURATIONS
        ]

    def _step_working_hours(self, query):
        """Mean and median working hours per step in the company calendar,
        with the SLA engine's batch calendar arithmetic: one query for the
        dates, one working-time timeline for all intervals."""
        calendar = self.company_id.resource_calendar_id
        if not calendar:
            return {}
        Rule = self.env["complaint.sla"]
        fnames = sorted(
            {f for _key, start, end in STEP_DURATIONS for f in (start, end)}
        )
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM complaint_complaint c WHERE c.id IN %s",
                SQL(", ").join(SQL("c.%s", SQL.identifier(f)) for f in fnames),
                query.subselect(),
            )
        )
        keys, requests = [], []
        for row in self.env.cr.fetchall():
            dates = dict(zip(fnames, row, strict=True))
            for key, start, end in STEP_DURATIONS:
                if dates[start] and dates[end]:
                    keys.append(key)
                    requests.append((calendar, dates[start], dates[end]))
        per_step = defaultdict(list)
        for key, hours in zip(keys, Rule._working_hours_between(requests), strict=True):
            per_step[key].append(hours)
        return {
            key: (statistics.fmean(values), statistics.median(values))
            for key, values in per_step.items()
        }

    def _step_labels(self):
        return {
            "acknowledge": self.env._("Receipt to acknowledgement"),
            "assess": self.env._("Acknowledgement to assessment"),
            "respond": self.env._("Assessment to proposed resolution"),
            "decide": self.env._("Proposed resolution to decision"),
            "close": self.env._("Decision to closure"),
            "total": self.env._("Receipt to closure"),
        }

    def _satisfaction(self, complaint_ids):
        """Ratings given by complainants on the complaints of the period."""
        domain = Domain(
            [
                ("res_model", "=", "complaint.complaint"),
                ("res_id", "in", complaint_ids),
                ("consumed", "=", True),
                ("rating", ">", 0),
            ]
        )
        Rating = self.env["rating.rating"].sudo()
        [(count, average)] = Rating._read_group(domain, [], ["__count", "rating:avg"])
        by_text = dict(Rating._read_group(domain, ["rating_text"], ["__count"]))
        labels = dict(Rating._fields["rating_text"]._description_selection(self.env))
        return {
            "count": count,
            "average": average or 0.0,
            "satisfied_percent": 100.0 * by_text.get("top", 0) / count
            if count
            else 0.0,
            "lines": [
                {"label": labels.get(key, key), "count": by_text.get(key, 0)}
                for key in ("top", "ok", "ko")
            ],
        }

    def _sla_figures(self, complaint_ids):
        """SLA targets met, failed and still running."""
        Status = self.env["complaint.sla.status"].sudo()
        counts = dict(
            Status._read_group(
                [("complaint_id", "in", complaint_ids)], ["status"], ["__count"]
            )
        )
        reached = counts.get("reached", 0)
        failed = counts.get("failed", 0)
        done = reached + failed
        return {
            "reached": reached,
            "failed": failed,
            "ongoing": counts.get(SLA_ONGOING, 0),
            "compliance": 100.0 * reached / done if done else None,
        }

    def _action_figures(self):
        """Open and overdue corrective actions of the company (and teams)."""
        self.ensure_one()
        domain = Domain(
            [
                ("state", "=", "open"),
                ("complaint_id.company_id", "=", self.company_id.id),
            ]
        )
        if self.team_ids:
            domain &= Domain("complaint_id.team_id", "in", self.team_ids.ids)
        today = fields.Date.context_today(self)
        Action = self.env["complaint.action"]
        by_type = Action._read_group(domain, ["action_type"], ["__count"])
        overdue_domain = domain & Domain("date_deadline", "<", today)
        labels = dict(Action._fields["action_type"]._description_selection(self.env))
        return {
            "open": sum(count for _type, count in by_type),
            "overdue": Action.search_count(overdue_domain),
            "by_type": [
                {"label": labels.get(key, key), "count": count}
                for key, count in by_type
            ],
            "overdue_actions": Action.search(
                overdue_domain, order="date_deadline", limit=15
            ),
        }

    def _root_causes(self, domain, limit=5):
        Complaint = self.env["complaint.complaint"]
        return [
            {"label": cause.display_name, "count": count}
            for cause, count in Complaint._read_group(
                domain & Domain("root_cause_id", "!=", False),
                ["root_cause_id"],
                ["__count"],
                order="__count DESC",
                limit=limit,
            )
        ]

    def _get_review_data(self):
        """Every figure of the management review, computed set-based."""
        self.ensure_one()
        Complaint = self.env["complaint.complaint"]
        domain = self._complaint_domain()
        prev_from, prev_to = self._previous_period()
        prev_domain = self._complaint_domain(prev_from, prev_to)
        complaint_ids = Complaint._search(domain)
        total = Complaint.search_count(domain)
        previous_total = Complaint.search_count(prev_domain)
        closed = Complaint.search_count(domain & Domain("step", "=", STEP_CLOSED))
        # counted, never named: the flag itself is for the team and managers
        vulnerable = Complaint.sudo().search_count(
            Domain("id", "in", complaint_ids) & Domain("is_vulnerable", "=", True)
        )
        volumes = {
            fname: self._volumes(fname, domain, prev_domain)
            for fname in ("category_id", "channel_id", "severity", "decision")
        }
        step_times = self._step_times(domain)
        rtl = self._is_rtl()
        return {
            "date_from": self.date_from,
            "date_to": self.date_to,
            "prev_from": prev_from,
            "prev_to": prev_to,
            "total": total,
            "previous_total": previous_total,
            "trend_percent": (
                100.0 * (total - previous_total) / previous_total
                if previous_total
                else None
            ),
            "closed": closed,
            "open": total - closed,
            "vulnerable": vulnerable,
            "volumes": volumes,
            "charts": {
                fname: self._bar_chart(
                    [
                        (line["label"], line["count"], line["previous"])
                        for line in lines
                    ],
                    rtl=rtl,
                )
                for fname, lines in volumes.items()
            },
            "step_times": step_times,
            "step_chart": self._bar_chart(
                [
                    (
                        line["label"],
                        round(line["mean"] or 0.0, 1),
                        round(line["median"] or 0.0, 1),
                    )
                    for line in step_times
                ],
                rtl=rtl,
            ),
            "satisfaction": self._satisfaction(complaint_ids),
            "sla": self._sla_figures(complaint_ids),
            "root_causes": self._root_causes(domain),
            "actions": self._action_figures(),
        }

    @api.model
    def _bar_chart(self, rows, rtl=False, width=640, label_width=220, bar_height=9):
        """Geometry of a horizontal bar chart drawn as inline SVG: for each
        row a main bar (this period) and a thin one (previous period or
        median). Mirrored for right-to-left languages."""
        value_width = 60
        plot = width - label_width - value_width
        top = max([max(value, other) for _label, value, other in rows] or [0]) or 1
        row_height = 2 * bar_height + 10
        bars = []
        for index, (label, value, other) in enumerate(rows):
            y = index * row_height + 4
            w1 = plot * value / top
            w2 = plot * other / top
            x0 = label_width
            bar = {
                "label": label,
                "value": value,
                "other": other,
                "y": y,
                "h": bar_height,
                "y2": y + bar_height + 1,
                "h2": bar_height - 3,
                "w": round(w1, 2),
                "w2": round(w2, 2),
                "x": x0,
                "x2": x0,
                "label_x": label_width - 6,
                "value_x": x0 + w1 + 4,
                "text_y": y + bar_height - 1,
            }
            if rtl:
                bar.update(
                    x=round(width - x0 - w1, 2),
                    x2=round(width - x0 - w2, 2),
                    label_x=width - label_width + 6,
                    value_x=round(width - x0 - w1 - 4, 2),
                )
            bars.append(bar)
        return {
            "width": width,
            "height": max(len(rows) * row_height + 8, 20),
            "bars": bars,
            "rtl": rtl,
            "label_anchor": "start" if rtl else "end",
            "value_anchor": "end" if rtl else "start",
            "colors": CHART_COLORS,
        }
