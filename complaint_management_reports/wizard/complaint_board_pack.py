from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools.misc import format_date

from odoo.addons.complaint_management.models.complaint_stage import STEP_CLOSED

from ..report.complaint_outcome_analysis import OUTCOME_DIMENSIONS
from .complaint_regulatory_return_wizard import (
    CONSOLIDATED_FROM,
    FCA_COLUMNS,
    FCA_CR_COLUMNS,
)

BOARD_GROUPS = (
    "complaint_management.group_complaint_manager",
    "complaint_management.group_complaint_auditor",
)


class ComplaintManagementReviewWizard(models.TransientModel):
    """The board pack: the management review's period and company, for the
    whole company (the teams are not used), with the improvement loop and
    the FCA return's figures."""

    _inherit = "complaint.management.review.wizard"

    def action_print_board_pack(self):
        self._check_board_access()
        return self.env.ref(
            "complaint_management_reports.action_report_complaint_board_pack"
        ).report_action(self)

    def _check_board_access(self):
        if not any(self.env.user.has_group(group) for group in BOARD_GROUPS):
            raise AccessError(
                self.env._("The board pack is for complaints managers and auditors.")
            )

    def _board_domain(self, date_from, date_to, fname="date_received"):
        return Domain(
            [
                ("company_id", "=", self.company_id.id),
                (fname, ">=", datetime.combine(date_from, time.min)),
                (fname, "<", datetime.combine(date_to + timedelta(days=1), time.min)),
            ]
        )

    def _fca_return_type(self):
        """The FCA return that covers the pack's period: DISP 1 Annex 1 for
        periods before 2027, the consolidated return (PS25/19) for a fixed
        half-year from 2027, none for other periods from 2027."""
        Return = self.env["complaint.regulatory.return.wizard"]
        if self.date_to < CONSOLIDATED_FROM:
            return "fca"
        half = "1" if self.date_from.month < 7 else "2"
        if self.date_from >= CONSOLIDATED_FROM and (
            self.date_from,
            self.date_to,
        ) == Return._half_year_dates(self.date_from.year, half):
            return "fca_consolidated"
        return False

    def _fca_figures(self):
        """Totals of the FCA return for the same period and company,
        computed by the return wizard itself; False when no FCA return
        covers the period. The consolidated return counts partly upheld
        complaints as upheld (PS25/19): no separate figure."""
        return_type = self._fca_return_type()
        if not return_type:
            return False
        wizard = self.env["complaint.regulatory.return.wizard"].create(
            {
                "return_type": return_type,
                "company_id": self.company_id.id,
                "date_from": self.date_from,
                "date_to": self.date_to,
            }
        )
        if return_type == "fca":
            rows, columns = wizard._fca_rows(), FCA_COLUMNS
        else:
            rows, columns = wizard._fca_cr_rows()[0], FCA_CR_COLUMNS
        figures = dict.fromkeys(("partly_upheld",))
        figures.update({key: sum(row[key] for row in rows) for key in columns})
        figures["return_type"] = return_type
        figures["return_name"] = dict(
            wizard._fields["return_type"]._description_selection(self.env)
        )[return_type]
        return figures

    def _monthly_volumes(self):
        """Complaints received per month of the period, and in the same month
        a year before (the trend)."""
        Complaint = self.env["complaint.complaint"]
        year = relativedelta(years=1)
        current = dict(
            Complaint._read_group(
                self._board_domain(self.date_from, self.date_to),
                ["date_received:month"],
                ["__count"],
            )
        )
        previous = {
            month + year: count
            for month, count in Complaint._read_group(
                self._board_domain(self.date_from - year, self.date_to - year),
                ["date_received:month"],
                ["__count"],
            )
        }
        months = sorted(set(current) | set(previous))
        return [
            (
                format_date(self.env, month, date_format="MMM y"),
                current.get(month, 0),
                previous.get(month, 0),
            )
            for month in months
        ]

    def _vulnerability_points(self, domain, closed_domain):
        """The two vulnerability data points of the FCA consolidated return
        (PS25/19), for the complaints received in the period: the firm
        identified the customer as vulnerable (however it learned it); the
        complaint was caused by the firm's failure to consider or respond to
        a customer's vulnerability. Beside them, the share upheld (fully or
        partly) of the vulnerable customers' complaints closed in the period.
        Counted, never named."""
        Complaint = self.env["complaint.complaint"].sudo()
        vulnerable = Domain("is_vulnerable", "=", True)
        received = Complaint.search_count(domain & vulnerable)
        failure = Complaint.search_count(
            domain & Domain("vulnerability_failure", "=", True)
        )
        closed = Complaint.search_count(closed_domain & vulnerable)
        upheld = Complaint.search_count(
            closed_domain
            & vulnerable
            & Domain("decision", "in", ("upheld", "partially_upheld"))
        )
        return {
            "received": received,
            "failure": failure,
            "closed": closed,
            "upheld": upheld,
            "upheld_percent": 100.0 * upheld / closed if closed else None,
        }

    def _ombudsman_figures(self):
        Complaint = self.env["complaint.complaint"]
        domain = Domain("company_id", "=", self.company_id.id) & Domain(
            [
                ("external_referral_date", ">=", self.date_from),
                ("external_referral_date", "<=", self.date_to),
            ]
        )
        referred = Complaint.search_count(domain)
        decided = dict(
            Complaint._read_group(
                domain & Domain("external_referral_decision", "!=", False),
                ["external_referral_decision"],
                ["__count"],
            )
        )
        total = sum(decided.values())
        return {
            "referred": referred,
            "decided": total,
            "overturned": decided.get("upheld", 0),
            "overturn_percent": 100.0 * decided.get("upheld", 0) / total
            if total
            else None,
        }

    def _signal_figures(self):
        Signal = self.env["complaint.harm.signal"]
        domain = [
            ("company_id", "=", self.company_id.id),
            ("date_to", ">=", self.date_from),
            ("date_to", "<=", self.date_to),
        ]
        return Signal.search(domain, order="date_to, id")

    def _issue_figures(self):
        return self.env["complaint.systemic.issue"].search(
            [
                ("company_id", "=", self.company_id.id),
                "|",
                ("state", "!=", "closed"),
                ("write_date", ">=", datetime.combine(self.date_from, time.min)),
            ]
        )

    def _outcome_tables(self):
        """Outcomes by customer group over the complaints received in the
        period (as superuser: a company-wide aggregate for managers and
        auditors, the vulnerable flag counted, never shown per complaint)."""
        Outcome = self.env["complaint.outcome.analysis"].sudo()
        domain = self._board_domain(self.date_from, self.date_to)
        labels = {
            "customer_group": self.env._("Vulnerable or not"),
            "channel_id": self.env._("Channel"),
            "category_id": self.env._("Category"),
            "language": self.env._("Language"),
        }
        return [
            {
                "dimension": dimension,
                "label": labels[dimension],
                "rows": Outcome._compare_groups(dimension, domain),
            }
            for dimension in OUTCOME_DIMENSIONS
        ]

    def _get_board_pack_data(self):
        """Every figure of the board pack, computed set-based."""
        self.ensure_one()
        self._check_board_access()
        Complaint = self.env["complaint.complaint"]
        domain = self._board_domain(self.date_from, self.date_to)
        length = (self.date_to - self.date_from).days + 1
        prev_to = self.date_from - timedelta(days=1)
        prev_from = prev_to - timedelta(days=length - 1)
        prev_domain = self._board_domain(prev_from, prev_to)
        closed_domain = self._board_domain(
            self.date_from, self.date_to, "date_closed"
        ) & Domain("step", "=", STEP_CLOSED)
        regulatory = dict(
            Complaint._read_group(domain, ["regulatory_state"], ["__count"])
        )
        rtl = self._is_rtl()
        months = self._monthly_volumes()
        outcomes = self._outcome_tables()
        uphold_rows = [
            (row["label"], round(row["rates"]["upheld_rate"]["percent"] or 0.0, 1), 0)
            for table in outcomes
            if table["dimension"] == "customer_group"
            for row in table["rows"]
        ]
        return {
            "date_from": self.date_from,
            "date_to": self.date_to,
            "prev_from": prev_from,
            "prev_to": prev_to,
            "received": Complaint.search_count(domain),
            "previous": Complaint.search_count(prev_domain),
            "fca": self._fca_figures(),
            "volumes": {
                fname: self._volumes(fname, domain, prev_domain)
                for fname in ("category_id", "channel_id")
            },
            "month_chart": self._bar_chart(months, rtl=rtl),
            "regulatory": {
                key: regulatory.get(key, 0)
                for key in ("on_time", "due_soon", "holding_sent", "breached", "met")
            },
            "regulatory_labels": dict(
                Complaint._fields["regulatory_state"]._description_selection(self.env)
            ),
            "outcomes": outcomes,
            "outcome_rates": list(
                self.env["complaint.outcome.analysis"]._rate_labels().items()
            ),
            "uphold_chart": self._bar_chart(uphold_rows, rtl=rtl),
            "root_causes": self._root_causes(domain),
            "signals": self._signal_figures(),
            "issues": self._issue_figures(),
            "vulnerability": self._vulnerability_points(domain, closed_domain),
            "ombudsman": self._ombudsman_figures(),
            "printed_on": fields.Datetime.now(),
        }
