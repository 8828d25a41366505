import csv
import io
from datetime import datetime, time, timedelta

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import SQL

# ASIC IDR data dictionary: our intake channels and decisions as its codes.
ASIC_CHANNELS = {
    "portal": "Online",
    "web": "Online",
    "email": "Email",
    "phone": "Phone",
    "walk_in": "In person",
    "letter": "Letter",
    "ticket": "Online",
}
ASIC_OUTCOMES = {
    "upheld": "Resolved in favour of complainant",
    "partially_upheld": "Resolved partially in favour of complainant",
    "not_upheld": "Resolved in favour of firm",
}
FCA_COLUMNS = (
    "outstanding",
    "opened",
    "closed",
    "within_3_days",
    "within_8_weeks",
    "after_8_weeks",
    "upheld",
    "partly_upheld",
    "not_upheld",
    "redress",
)
ASIC_COLUMNS = (
    "reference",
    "brand",
    "status",
    "channel",
    "date_received",
    "date_closed",
    "days_open",
    "product",
    "issue",
    "outcome",
    "compensation",
)


class ComplaintRegulatoryReturnWizard(models.TransientModel):
    """Regulator returns: FCA complaints return (DISP 1.10) and ASIC IDR
    data report (RG 271), previewed as a list and exported as XLSX or CSV.
    Each section is one SQL query over the period, not a loop over records."""

    _name = "complaint.regulatory.return.wizard"
    _description = "Complaints: regulator return"

    return_type = fields.Selection(
        [
            ("fca", "FCA complaints return (DISP 1.10)"),
            ("asic", "ASIC IDR data report"),
        ],
        required=True,
        default="fca",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    profile_id = fields.Many2one(
        "complaint.regulatory.profile",
        string="Regulatory profile",
        help="Only the complaints under this profile; empty: every complaint.",
    )
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    fca_line_ids = fields.One2many("complaint.fca.return.line", "wizard_id")
    asic_line_ids = fields.One2many("complaint.asic.return.line", "wizard_id")
    problems = fields.Text(
        readonly=True, help="Complaints that lack what the data dictionary requires."
    )

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_to < wizard.date_from:
                raise ValidationError(self.env._("The period ends before it starts."))

    @api.constrains("company_id")
    def _check_return_company(self):
        for wizard in self:
            if wizard.company_id not in self.env.user.company_ids:
                raise ValidationError(self.env._("You have no access to this company."))

    def _bounds(self):
        start = datetime.combine(self.date_from, time.min)
        return start, datetime.combine(self.date_to + timedelta(days=1), time.min)

    def _where(self):
        start, end = self._bounds()
        where = SQL(
            "c.company_id = %s AND c.date_received < %s "
            "AND (c.date_closed IS NULL OR c.date_closed >= %s)",
            self.company_id.id,
            end,
            start,
        )
        if self.profile_id:
            where = SQL(
                "%s AND c.regulatory_profile_id = %s", where, self.profile_id.id
            )
        return where

    # ------------------------------------------------------------------
    # FCA complaints return
    # ------------------------------------------------------------------
    def _fca_rows(self):
        """One row per product group and cause: complaints outstanding at the
        start, opened and closed in the period; closed within 3 business
        days (the summary resolution window, else 3 days), after that within
        8 weeks, after 8 weeks; upheld, partly upheld, not upheld; redress."""
        self.check_access("read")
        self.env["complaint.complaint"].check_access("read")
        start, end = self._bounds()
        closed_in = SQL("(c.date_closed >= %s AND c.date_closed < %s)", start, end)
        quick = SQL(
            "c.date_closed <= COALESCE(c.regulatory_summary_deadline, "
            "c.date_received + interval '3 days')"
        )
        eight_weeks = SQL("c.date_closed <= c.date_received + interval '8 weeks'")
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT cat.fca_product_code_id, rc.fca_cause_code_id,
                  COUNT(*) FILTER (WHERE c.date_received < %(start)s),
                  COUNT(*) FILTER (WHERE c.date_received >= %(start)s),
                  COUNT(*) FILTER (WHERE %(closed_in)s),
                  COUNT(*) FILTER (WHERE %(closed_in)s AND %(quick)s),
                  COUNT(*) FILTER (WHERE %(closed_in)s AND NOT %(quick)s
                                   AND %(eight_weeks)s),
                  COUNT(*) FILTER (WHERE %(closed_in)s AND NOT %(eight_weeks)s
                                   AND NOT %(quick)s),
                  COUNT(*) FILTER (WHERE %(closed_in)s AND c.decision = 'upheld'),
                  COUNT(*) FILTER (WHERE %(closed_in)s
                                   AND c.decision = 'partially_upheld'),
                  COUNT(*) FILTER (WHERE %(closed_in)s AND c.decision = 'not_upheld'),
                  COALESCE(SUM(c.redress_amount) FILTER (WHERE %(closed_in)s), 0)
                FROM complaint_complaint c
                LEFT JOIN complaint_category cat ON cat.id = c.category_id
                LEFT JOIN complaint_root_cause rc ON rc.id = c.root_cause_id
                WHERE %(where)s
                GROUP BY cat.fca_product_code_id, rc.fca_cause_code_id
                ORDER BY cat.fca_product_code_id NULLS LAST,
                         rc.fca_cause_code_id NULLS LAST
                """,
                start=start,
                closed_in=closed_in,
                quick=quick,
                eight_weeks=eight_weeks,
                where=self._where(),
            )
        )
        fetched = self.env.cr.fetchall()
        # the codes' names in one read
        codes = (
            self.env["complaint.return.code"]
            .sudo()
            .browse({code_id for row in fetched for code_id in row[:2] if code_id})
        )
        names = dict(zip(codes.ids, codes.mapped("name"), strict=True))
        not_mapped = self.env._("Not mapped")
        rows = []
        for product_id, cause_id, *counts in fetched:
            row = dict(zip(FCA_COLUMNS, counts, strict=True))
            row["product"] = names.get(product_id) or not_mapped
            row["cause"] = names.get(cause_id) or not_mapped
            rows.append(row)
        return rows

    # ------------------------------------------------------------------
    # ASIC IDR data report
    # ------------------------------------------------------------------
    def _asic_rows(self):
        """One row per complaint open or closed in the period, with the
        problems that the data dictionary's mandatory fields would raise."""
        self.check_access("read")
        self.env["complaint.complaint"].check_access("read")
        start, end = self._bounds()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT c.reference, co.name, ch.code, c.date_received,
                  CASE WHEN c.date_closed < %(end)s THEN c.date_closed END,
                  pc.code, ic.code, c.decision, c.redress_amount
                FROM complaint_complaint c
                JOIN res_company co ON co.id = c.company_id
                LEFT JOIN complaint_channel ch ON ch.id = c.channel_id
                LEFT JOIN complaint_category cat ON cat.id = c.category_id
                LEFT JOIN complaint_return_code pc ON pc.id = cat.asic_product_code_id
                LEFT JOIN complaint_root_cause rc ON rc.id = c.root_cause_id
                LEFT JOIN complaint_return_code ic ON ic.id = rc.asic_issue_code_id
                WHERE %(where)s
                ORDER BY c.date_received, c.id
                """,
                end=end,
                where=self._where(),
            )
        )
        rows, problems = [], []
        for (
            reference,
            brand,
            channel,
            received,
            closed,
            product,
            issue,
            decision,
            compensation,
        ) in self.env.cr.fetchall():
            row = {
                "reference": reference,
                "brand": brand,
                "status": "Closed" if closed else "Open",
                "channel": ASIC_CHANNELS.get(channel, ""),
                "date_received": received.date().isoformat(),
                "date_closed": closed.date().isoformat() if closed else "",
                "days_open": ((closed or end) - received).days,
                "product": product or "",
                "issue": issue or "",
                "outcome": ASIC_OUTCOMES.get(decision, "") if closed else "",
                "compensation": compensation or 0.0,
            }
            missing = [
                label
                for label, value in (
                    (self.env._("channel"), row["channel"]),
                    (self.env._("product (category mapping)"), row["product"]),
                    (self.env._("issue (root cause mapping)"), row["issue"]),
                    (self.env._("outcome (decision)"), row["outcome"] or not closed),
                )
                if not value
            ]
            if missing:
                problems.append(f"{reference}: {', '.join(missing)}")
            rows.append(row)
        return rows, problems

    # ------------------------------------------------------------------
    # Preview and export
    # ------------------------------------------------------------------
    def action_compute(self):
        self.ensure_one()
        self.fca_line_ids.unlink()
        self.asic_line_ids.unlink()
        if self.return_type == "fca":
            self.fca_line_ids = [Command.create(row) for row in self._fca_rows()]
            self.problems = False
        else:
            rows, problems = self._asic_rows()
            self.asic_line_ids = [Command.create(row) for row in rows]
            self.problems = "\n".join(problems) or False
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _return_table(self):
        """(header, rows) of the return, percentages of the closed computed
        here for the FCA return."""
        if self.return_type == "fca":
            header = ["product", "cause", *FCA_COLUMNS]
            header[header.index("upheld") :] = [
                "upheld_percent",
                "partly_upheld_percent",
                "not_upheld_percent",
                "redress",
            ]
            table = []
            for row in self._fca_rows():
                closed = row["closed"] or 0
                percent = [
                    round(100.0 * row[key] / closed, 1) if closed else 0.0
                    for key in ("upheld", "partly_upheld", "not_upheld")
                ]
                table.append(
                    [
                        row["product"],
                        row["cause"],
                        *(row[key] for key in FCA_COLUMNS[:6]),
                        *percent,
                        row["redress"],
                    ]
                )
            return header, table
        rows, problems = self._asic_rows()
        if problems:
            raise UserError(
                self.env._(
                    "These complaints lack what the ASIC data dictionary requires; "
                    "complete them (or their category and root cause mappings) "
                    "first:\n%(problems)s",
                    problems="\n".join(problems),
                )
            )
        return list(ASIC_COLUMNS), [[row[key] for key in ASIC_COLUMNS] for row in rows]

    def _download(self, name, content, mimetype):
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": mimetype,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _file_name(self, extension):
        return f"{self.return_type}-return-{self.date_from}-{self.date_to}.{extension}"

    def action_export_csv(self):
        self.ensure_one()
        header, table = self._return_table()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(table)
        return self._download(
            self._file_name("csv"), buffer.getvalue().encode(), "text/csv"
        )

    def action_export_xlsx(self):
        self.ensure_one()
        header, table = self._return_table()
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet(self.return_type.upper())
        bold = workbook.add_format({"bold": True})
        sheet.write_row(0, 0, header, bold)
        for index, row in enumerate(table, start=1):
            sheet.write_row(index, 0, row)
        workbook.close()
        return self._download(
            self._file_name("xlsx"),
            buffer.getvalue(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


class ComplaintFcaReturnLine(models.TransientModel):
    _name = "complaint.fca.return.line"
    _description = "FCA complaints return: one product group and cause"

    wizard_id = fields.Many2one(
        "complaint.regulatory.return.wizard", required=True, ondelete="cascade"
    )
    product = fields.Char()
    cause = fields.Char()
    outstanding = fields.Integer(string="Outstanding at start")
    opened = fields.Integer()
    closed = fields.Integer()
    within_3_days = fields.Integer(string="Closed within 3 business days")
    within_8_weeks = fields.Integer(string="Closed after 3 days, within 8 weeks")
    after_8_weeks = fields.Integer(string="Closed after 8 weeks")
    upheld = fields.Integer()
    partly_upheld = fields.Integer()
    not_upheld = fields.Integer()
    redress = fields.Float(string="Redress paid")


class ComplaintAsicReturnLine(models.TransientModel):
    _name = "complaint.asic.return.line"
    _description = "ASIC IDR data report: one complaint"

    wizard_id = fields.Many2one(
        "complaint.regulatory.return.wizard", required=True, ondelete="cascade"
    )
    reference = fields.Char()
    brand = fields.Char()
    status = fields.Char()
    channel = fields.Char()
    date_received = fields.Char()
    date_closed = fields.Char()
    days_open = fields.Integer()
    product = fields.Char()
    issue = fields.Char()
    outcome = fields.Char()
    compensation = fields.Float()
