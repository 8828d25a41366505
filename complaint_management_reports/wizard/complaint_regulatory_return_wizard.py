import csv
import io
from datetime import date, datetime, time, timedelta

import xlsxwriter
from pytz import timezone, utc

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import SQL

# From the period 1 January 2027 the FCA's consolidated complaints return
# (PS25/19) replaces DISP 1 Annex 1; earlier periods still file the old form
# (the July-December 2026 one is filed in 2027).
CONSOLIDATED_FROM = date(2027, 1, 1)
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
# Consolidated return (PS25/19): the figures per section, product or service
# and complaint issue. Partly upheld complaints count as upheld.
FCA_CR_COLUMNS = (
    "outstanding",
    "opened",
    "closed",
    "outstanding_end",
    "within_3_days",
    "within_8_weeks",
    "after_8_weeks",
    "upheld",
    "not_upheld",
    "redress",
    "vulnerable",
    "vulnerability_failure",
)
# Contextualised complaints data (PS25/19: retail banking, insurance, payment
# services and claims management firms only): the section's denominator,
# entered on the return for the period.
FCA_CR_CONTEXT = {
    "retail_banking": "context_banking_accounts",
    "insurance": "context_insurance_policies",
    "payment_services": "context_payment_transactions",
    "claims_management": "context_cmc_clients",
}
# ASIC IDR data dictionary: (row key, data element name) of the file, the
# financial firm's identifying block first. Verified (issue 21): the two
# elements of "Complaint identifying information" (Table 1 of the updated
# draft dictionary, December 2020, the first object class of the pilot
# version, July 2021) are named as the dictionary names them; the firm block
# is Table 1 of the May 2019 draft (CP 311), not a data element of the later
# versions, which identify the firm by its Regulatory Portal submission; the
# other names could not be checked (see readme/CONFIGURE.md).
ASIC_COLUMNS = (
    ("firm_name", "Financial firm name"),
    ("firm_abn", "Financial firm ABN"),
    ("firm_licence", "Licence number"),
    ("firm_uhc", "Ultimate holding company name"),
    ("reference", "Entity's complaint unique identifier"),
    (
        "brand",
        "Name of subsidiary, brand or superannuation fund that the complaint is about",
    ),
    ("complainant_type", "Complainant type"),
    ("status", "Complaint status"),
    ("channel", "Complaint channel"),
    ("date_received", "Date complaint received"),
    ("date_closed", "Date complaint closed"),
    ("days_to_close", "Days to close"),
    ("representative", "Complaint about a representative"),
    ("product_category", "Product or service category"),
    ("product", "Product or service line"),
    ("issue", "Complaint issue"),
    ("outcome", "Complaint outcome"),
    ("compensation", "Compensation amount"),
)
# several codes in one column (products, issues, outcomes of one complaint)
ASIC_SEPARATOR = "; "


class ComplaintRegulatoryReturnWizard(models.TransientModel):
    """Regulator returns: the FCA complaints return (DISP 1 Annex 1, periods
    to 31 December 2026), the FCA consolidated complaints return (PS25/19,
    periods from 1 January 2027) and the ASIC IDR data report (RG 271),
    previewed as a list and exported as XLSX or CSV. Each section is one SQL
    query over the period, not a loop over records; the period is counted in
    the company's local days."""

    _name = "complaint.regulatory.return.wizard"
    _description = "Complaints: regulator return"

    return_type = fields.Selection(
        [
            ("fca", "FCA complaints return (DISP 1 Annex 1, periods to 2026)"),
            (
                "fca_consolidated",
                "FCA consolidated complaints return (PS25/19, periods from 2027)",
            ),
            ("asic", "ASIC IDR data report"),
        ],
        required=True,
        compute="_compute_return_type",
        store=True,
        readonly=False,
        precompute=True,
        help="The FCA return is chosen by the period: the consolidated "
        "complaints return (PS25/19) from the period 1 January - 30 June 2027, "
        "DISP 1 Annex 1 before.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        help="One legal entity: a return never adds up several companies.",
    )
    profile_id = fields.Many2one(
        "complaint.regulatory.profile",
        string="Regulatory profile",
        help="Only the complaints under this profile; empty: every complaint.",
    )
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    year = fields.Integer(help="Year of the half-year of a consolidated return.")
    half_year = fields.Selection(
        [("1", "January - June"), ("2", "July - December")],
        help="The consolidated return covers fixed half-years.",
    )
    nil_return = fields.Boolean(
        help="Declared up front: the firm has no complaints to report for the "
        "period (PS25/19). Refused when there are."
    )
    context_banking_accounts = fields.Integer(
        string="Retail banking: accounts",
        help="Contextualised data: the denominator of the retail banking "
        "section for the period, entered here.",
    )
    context_insurance_policies = fields.Integer(
        string="Insurance: policies",
        help="Contextualised data: the denominator of the insurance section.",
    )
    context_payment_transactions = fields.Integer(
        string="Payment services: accounts or transactions",
        help="Contextualised data: the denominator of the payment services section.",
    )
    context_cmc_clients = fields.Integer(
        string="Claims management: clients",
        help="Contextualised data: the denominator of the claims management section.",
    )
    fca_line_ids = fields.One2many("complaint.fca.return.line", "wizard_id")
    asic_line_ids = fields.One2many("complaint.asic.return.line", "wizard_id")
    problems = fields.Text(
        readonly=True,
        help="Complaints that lack what the return requires, and why the "
        "export is refused.",
    )

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_to < wizard.date_from:
                raise ValidationError(self.env._("The period ends before it starts."))

    @api.constrains("return_type", "date_from", "date_to")
    def _check_fca_period(self):
        for wizard in self:
            if wizard.return_type == "fca" and wizard.date_to >= CONSOLIDATED_FROM:
                raise ValidationError(
                    self.env._(
                        "From the period 1 January - 30 June 2027 the FCA "
                        "consolidated complaints return (PS25/19) replaces "
                        "DISP 1 Annex 1: choose it for this period."
                    )
                )
            if wizard.return_type != "fca_consolidated":
                continue
            if wizard.date_from < CONSOLIDATED_FROM:
                raise ValidationError(
                    self.env._(
                        "The consolidated complaints return starts with the "
                        "period 1 January - 30 June 2027; earlier periods file "
                        "the DISP 1 Annex 1 return."
                    )
                )
            if (wizard.date_from, wizard.date_to) != self._half_year_dates(
                wizard.date_from.year, "1" if wizard.date_from.month < 7 else "2"
            ):
                raise ValidationError(
                    self.env._(
                        "The consolidated complaints return covers a fixed "
                        "half-year: 1 January - 30 June or 1 July - 31 December."
                    )
                )

    @api.constrains("company_id")
    def _check_return_company(self):
        for wizard in self:
            if wizard.company_id not in self.env.user.company_ids:
                raise ValidationError(self.env._("You have no access to this company."))

    @staticmethod
    def _half_year_dates(year, half):
        if half == "1":
            return date(year, 1, 1), date(year, 6, 30)
        return date(year, 7, 1), date(year, 12, 31)

    @api.onchange("year", "half_year")
    def _onchange_half_year(self):
        if self.year and self.half_year:
            self.date_from, self.date_to = self._half_year_dates(
                self.year, self.half_year
            )

    @api.depends("date_from")
    def _compute_return_type(self):
        """The FCA return is chosen by the period: the consolidated return
        from 1 January 2027, DISP 1 Annex 1 before; the ASIC report stays."""
        for wizard in self:
            if wizard.return_type == "asic":
                wizard.return_type = "asic"
            elif wizard.date_from and wizard.date_from >= CONSOLIDATED_FROM:
                wizard.return_type = "fca_consolidated"
            else:
                wizard.return_type = "fca"

    def _tz(self):
        """The company's time zone: returns count its local days."""
        company = self.company_id.sudo()
        return timezone(
            company.partner_id.tz or company.resource_calendar_id.tz or "UTC"
        )

    def _bounds(self):
        """The period as naive UTC instants: from the company's local
        midnight of its first day to that of the day after its last."""
        tz = self._tz()
        return tuple(
            tz.localize(datetime.combine(day, time.min))
            .astimezone(utc)
            .replace(tzinfo=None)
            for day in (self.date_from, self.date_to + timedelta(days=1))
        )

    def _local_date(self, value):
        return utc.localize(value).astimezone(self._tz()).date()

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

    def _check_read(self):
        self.check_access("read")
        self.env["complaint.complaint"].check_access("read")
        self.env.flush_all()

    # ------------------------------------------------------------------
    # FCA complaints return (DISP 1 Annex 1, periods to 2026)
    # ------------------------------------------------------------------
    def _fca_rows(self):
        """One row per product group and cause: complaints outstanding at the
        start, opened and closed in the period; closed within 3 business
        days (the summary resolution window, else 3 days), after that within
        8 weeks, after 8 weeks; upheld, partly upheld, not upheld; redress."""
        self._check_read()
        start, end = self._bounds()
        closed_in = SQL("(c.date_closed >= %s AND c.date_closed < %s)", start, end)
        quick = SQL(
            "c.date_closed <= COALESCE(c.regulatory_summary_deadline, "
            "c.date_received + interval '3 days')"
        )
        eight_weeks = SQL("c.date_closed <= c.date_received + interval '8 weeks'")
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
                  COALESCE(
                    SUM(c.redress_amount_company) FILTER (WHERE %(closed_in)s), 0
                  )
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
        names = self._code_names({cid for row in fetched for cid in row[:2] if cid})
        not_mapped = self.env._("Not mapped")
        rows = []
        for product_id, cause_id, *counts in fetched:
            row = dict(zip(FCA_COLUMNS, counts, strict=True))
            row["product"] = names.get(product_id) or not_mapped
            row["cause"] = names.get(cause_id) or not_mapped
            rows.append(row)
        return rows

    def _code_names(self, code_ids):
        """{code id: name} in one read (archived codes included)."""
        codes = (
            self.env["complaint.return.code"]
            .sudo()
            .with_context(active_test=False)
            .browse(code_ids)
        )
        return dict(zip(codes.ids, codes.mapped("name"), strict=True))

    # ------------------------------------------------------------------
    # FCA consolidated complaints return (PS25/19, periods from 2027)
    # ------------------------------------------------------------------
    def _fca_cr_rows(self):
        """(rows, problems) of the consolidated return: one row per section
        of the company's permissions, product or service and complaint issue
        (a section without complaints has a row of zeros). Closed within 3
        business days and within 8 weeks are measured against the complaint's
        own legal deadlines (its regulatory profile's calendar, to the
        minute): the summary resolution deadline and the final-response
        deadline; a complaint without a profile falls back on 3 and 56
        calendar days. Vulnerability: the complaints opened in the period
        where the firm identified the customer as vulnerable, and those
        caused by its failure to consider a customer's vulnerability."""
        self._check_read()
        start, end = self._bounds()
        closed_in = SQL("(c.date_closed >= %s AND c.date_closed < %s)", start, end)
        opened = SQL("(c.date_received >= %s)", start)
        open_at_end = SQL("(c.date_closed IS NULL OR c.date_closed >= %s)", end)
        quick = SQL(
            "c.date_closed <= COALESCE(c.regulatory_summary_deadline, "
            "c.date_received + interval '3 days')"
        )
        in_time = SQL(
            "c.date_closed <= COALESCE(c.regulatory_deadline, "
            "c.date_received + interval '8 weeks')"
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT prod.parent_id, prod.id, iss.id,
                  COUNT(*) FILTER (WHERE NOT %(opened)s),
                  COUNT(*) FILTER (WHERE %(opened)s),
                  COUNT(*) FILTER (WHERE %(closed_in)s),
                  COUNT(*) FILTER (WHERE %(open_at_end)s),
                  COUNT(*) FILTER (WHERE %(closed_in)s AND %(quick)s),
                  COUNT(*) FILTER (WHERE %(closed_in)s AND NOT %(quick)s
                                   AND %(in_time)s),
                  COUNT(*) FILTER (WHERE %(closed_in)s AND NOT %(quick)s
                                   AND NOT %(in_time)s),
                  COUNT(*) FILTER (WHERE %(closed_in)s
                                   AND c.decision IN ('upheld', 'partially_upheld')),
                  COUNT(*) FILTER (WHERE %(closed_in)s AND c.decision = 'not_upheld'),
                  COALESCE(
                    SUM(c.redress_amount_company) FILTER (WHERE %(closed_in)s), 0
                  ),
                  COUNT(*) FILTER (WHERE %(opened)s AND c.is_vulnerable),
                  COUNT(*) FILTER (WHERE %(opened)s AND c.vulnerability_failure),
                  ARRAY_AGG(c.reference ORDER BY c.reference)
                    FILTER (WHERE prod.id IS NULL OR NOT prod.active
                            OR NOT COALESCE(iss.active, TRUE)
                            OR (iss.id IS NULL AND %(closed_in)s))
                FROM complaint_complaint c
                LEFT JOIN complaint_category cat ON cat.id = c.category_id
                LEFT JOIN complaint_return_code prod
                       ON prod.id = cat.fca_cr_product_code_id
                LEFT JOIN complaint_root_cause rc ON rc.id = c.root_cause_id
                LEFT JOIN complaint_return_code iss ON iss.id = rc.fca_cr_issue_code_id
                WHERE %(where)s
                GROUP BY prod.parent_id, prod.id, iss.id
                """,
                opened=opened,
                open_at_end=open_at_end,
                closed_in=closed_in,
                quick=quick,
                in_time=in_time,
                where=self._where(),
            )
        )
        fetched = self.env.cr.fetchall()
        company = self.company_id.sudo()
        sections = company.complaint_fca_section_ids
        Code = self.env["complaint.return.code"].sudo().with_context(active_test=False)
        codes = Code.browse({cid for row in fetched for cid in row[:3] if cid})
        codes |= sections
        by_id = {code.id: code for code in codes}
        problems = []
        if not sections and not self.nil_return:
            problems.append(
                self.env._(
                    "%(company)s: choose the sections of the return its "
                    "permissions call for (Settings, Complaints).",
                    company=company.name,
                )
            )
        if not company.complaint_fca_frn:
            problems.append(
                self.env._(
                    "%(company)s: enter its FCA firm reference number.",
                    company=company.name,
                )
            )
        rows, seen_sections = [], set()
        for section_id, product_id, issue_id, *rest in fetched:
            counts, unmapped = rest[:-1], rest[-1] or []
            section = by_id.get(section_id)
            product, issue = by_id.get(product_id), by_id.get(issue_id)
            for reference in unmapped:
                what = []
                if not product:
                    what.append(self.env._("product or service (category mapping)"))
                elif not product.active:
                    what.append(
                        self.env._("product %(code)s withdrawn", code=product.code)
                    )
                if not issue:
                    what.append(self.env._("complaint issue (root cause mapping)"))
                elif not issue.active:
                    what.append(self.env._("issue %(code)s withdrawn", code=issue.code))
                problems.append(f"{reference}: {', '.join(what)}")
            if section and section not in sections:
                problems.append(
                    self.env._(
                        "%(count)s complaint(s) about %(product)s: section "
                        "%(section)s is not among the company's permissions.",
                        count=sum(counts[:2]),
                        product=product.name,
                        section=section.name,
                    )
                )
            seen_sections.add(section_id)
            row = dict(zip(FCA_CR_COLUMNS, counts, strict=True))
            row.update(
                section=section.name if section else self.env._("Not mapped"),
                section_code=section.code if section else "",
                product=product.name if product else self.env._("Not mapped"),
                product_code=product.code if product else "",
                cause=issue.name if issue else self.env._("Not recorded"),
                issue_code=issue.code if issue else "",
            )
            rows.append(row)
        for section in sections - Code.browse({s for s in seen_sections if s}):
            rows.append(
                dict.fromkeys(FCA_CR_COLUMNS, 0)
                | {
                    "section": section.name,
                    "section_code": section.code,
                    "product": "",
                    "product_code": "",
                    "cause": "",
                    "issue_code": "",
                }
            )
        rows.sort(
            key=lambda r: (r["section_code"] or "~", r["product_code"], r["issue_code"])
        )
        if self.nil_return and fetched:
            problems.append(
                self.env._(
                    "A nil return was declared but %(count)s complaint(s) fall "
                    "in the period.",
                    count=sum(sum(row[3:5]) for row in fetched),
                )
            )
        for code in sections.mapped("code"):
            fname = FCA_CR_CONTEXT.get(code)
            if fname and not self.nil_return and not self[fname]:
                problems.append(
                    self.env._(
                        "Enter the contextualised data for %(section)s: %(field)s.",
                        section=sections.filtered(lambda s, c=code: s.code == c).name,
                        field=self._fields[fname].get_description(self.env)["string"],
                    )
                )
        return rows, problems

    def _fca_cr_context(self, rows):
        """Contextualised data: per section of the permissions that has it,
        the denominator entered, the complaints opened and their rate per
        1,000."""
        sections = self.company_id.sudo().complaint_fca_section_ids
        table = []
        for section in sections:
            fname = FCA_CR_CONTEXT.get(section.code)
            if not fname:
                continue
            denominator = self[fname]
            opened = sum(r["opened"] for r in rows if r["section_code"] == section.code)
            table.append(
                {
                    "section": section.name,
                    "section_code": section.code,
                    "measure": self._fields[fname].get_description(self.env)["string"],
                    "denominator": denominator,
                    "opened": opened,
                    "per_1000": round(1000.0 * opened / denominator, 2)
                    if denominator
                    else 0.0,
                }
            )
        return table

    # ------------------------------------------------------------------
    # ASIC IDR data report
    # ------------------------------------------------------------------
    def _asic_codes(self):
        """Every code of the ASIC reference tables, archived ones included
        (to name them when a complaint still uses one)."""
        return (
            self.env["complaint.return.code"]
            .sudo()
            .with_context(active_test=False)
            .search([("kind", "like", "asic_")])
        )

    def _asic_rows(self):
        """(rows, problems): one row per complaint open or closed in the
        period, with the data dictionary's codes (several products, issues and
        outcomes joined by "; "), dates as the company's local days; and per
        complaint what the dictionary would refuse: a mandatory element
        missing, a code not in its reference tables, dates out of order."""
        self._check_read()
        start, end = self._bounds()
        self.env.cr.execute(
            SQL(
                """
                SELECT c.id, c.reference, co.name, ch.code, ch.asic_channel_code_id,
                  c.date_received,
                  CASE WHEN c.date_closed < %(end)s THEN c.date_closed END,
                  cat.asic_product_code_id, rc.asic_issue_code_id, c.decision,
                  c.redress_amount_company, c.asic_complainant_type,
                  c.asic_representative
                FROM complaint_complaint c
                JOIN res_company co ON co.id = c.company_id
                LEFT JOIN complaint_channel ch ON ch.id = c.channel_id
                LEFT JOIN complaint_category cat ON cat.id = c.category_id
                LEFT JOIN complaint_root_cause rc ON rc.id = c.root_cause_id
                WHERE %(where)s
                ORDER BY c.date_received, c.id
                """,
                end=end,
                where=self._where(),
            )
        )
        fetched = self.env.cr.fetchall()
        ids = [row[0] for row in fetched]
        extra = {}
        for kind, table in (
            ("product", "complaint_asic_product_code_rel"),
            ("issue", "complaint_asic_issue_code_rel"),
            ("outcome", "complaint_asic_outcome_code_rel"),
        ):
            self.env.cr.execute(
                SQL(
                    "SELECT complaint_id, code_id FROM %s "
                    "WHERE complaint_id = ANY(%s) ORDER BY code_id",
                    SQL.identifier(table),
                    ids,
                )
            )
            for complaint_id, code_id in self.env.cr.fetchall():
                extra.setdefault((kind, complaint_id), []).append(code_id)
        codes = self._asic_codes()
        by_id = {code.id: code for code in codes}
        active = codes.filtered("active")
        lookup = {
            kind: active.filtered(lambda c, k=kind: c.kind == k)._source_values()
            for kind in (
                "asic_channel",
                "asic_outcome",
                "asic_status",
                "asic_complainant_type",
            )
        }
        yes_no = {True: "Yes", False: "No"}  # the dictionary's values, untranslated
        rows, problems = [], []
        for (
            complaint_id,
            reference,
            brand,
            channel,
            channel_code_id,
            received,
            closed,
            product_id,
            issue_id,
            decision,
            compensation,
            complainant_type,
            representative,
        ) in fetched:
            missing, invalid = [], []
            status = lookup["asic_status"].get("closed" if closed else "open")
            channel_code = by_id.get(channel_code_id) or lookup["asic_channel"].get(
                channel or ""
            )
            products = self._asic_resolve(
                by_id,
                [product_id, *extra.get(("product", complaint_id), [])],
                "asic_product",
                invalid,
            )
            categories = list(dict.fromkeys(p.parent_id for p in products))
            issues = self._asic_resolve(
                by_id,
                [issue_id, *extra.get(("issue", complaint_id), [])],
                "asic_issue",
                invalid,
            )
            outcome_ids = extra.get(("outcome", complaint_id), [])
            if not outcome_ids and decision in lookup["asic_outcome"]:
                outcome_ids = [lookup["asic_outcome"][decision].id]
            outcomes = self._asic_resolve(
                by_id, outcome_ids if closed else [], "asic_outcome", invalid
            )
            channels = self._asic_resolve(
                by_id, channel_code.ids if channel_code else [], "asic_channel", invalid
            )
            complainant = lookup["asic_complainant_type"].get(complainant_type or "")
            for label, value in (
                (self.env._("complainant type"), complainant),
                (self.env._("status"), status),
                (self.env._("channel"), channels),
                (self.env._("product or service (category mapping)"), products),
                (self.env._("product or service category"), all(categories)),
                (self.env._("issue (root cause mapping)"), issues),
                (self.env._("outcome (decision)"), outcomes or not closed),
            ):
                if not value:
                    missing.append(label)
            if closed and closed < received:
                invalid.append(self.env._("date closed before date received"))
            local_received = self._local_date(received)
            local_closed = closed and self._local_date(closed)
            row = {
                "reference": reference,
                "brand": brand,
                "complainant_type": complainant.code if complainant else "",
                "status": status.code if status else "",
                "channel": channels[0].code if channels else "",
                "date_received": local_received.isoformat(),
                "date_closed": local_closed.isoformat() if closed else "",
                "days_open": ((closed or end) - received).days,
                "days_to_close": (local_closed - local_received).days if closed else "",
                "representative": yes_no[bool(representative)],
                "product_category": ASIC_SEPARATOR.join(
                    c.code for c in categories if c
                ),
                "product": ASIC_SEPARATOR.join(p.code for p in products),
                "issue": ASIC_SEPARATOR.join(i.code for i in issues),
                "outcome": ASIC_SEPARATOR.join(o.code for o in outcomes),
                "compensation": compensation or 0.0,
            }
            if missing or invalid:
                text = ", ".join(missing)
                if invalid:
                    text = ", ".join(
                        filter(
                            None,
                            [
                                text,
                                self.env._(
                                    "not in the data dictionary's tables: %(codes)s",
                                    codes=", ".join(invalid),
                                ),
                            ],
                        )
                    )
                problems.append(f"{reference}: {text}")
            rows.append(row)
        return rows, problems

    @staticmethod
    def _asic_resolve(by_id, code_ids, kind, invalid):
        """The codes of ``code_ids`` (each once, in order); appends to
        ``invalid`` those not in the reference table of ``kind`` (archived,
        or of another table)."""
        found = [by_id[i] for i in dict.fromkeys(code_ids) if i in by_id]
        invalid.extend(c.code for c in found if not c.active or c.kind != kind)
        return found

    def _asic_firm(self):
        """The financial firm's identifying block; refused when incomplete."""
        company = self.company_id.sudo()
        missing = [
            label
            for label, value in (
                (self.env._("ABN"), company.complaint_asic_abn),
                (self.env._("licence number"), company.complaint_asic_licence),
            )
            if not value
        ]
        if missing:
            raise UserError(
                self.env._(
                    "The ASIC IDR data report identifies the financial firm: "
                    "enter %(company)s's %(missing)s (Settings, Complaints).",
                    company=company.name,
                    missing=", ".join(missing),
                )
            )
        return {
            "firm_name": company.name,
            "firm_abn": company.complaint_asic_abn,
            "firm_licence": company.complaint_asic_licence,
            "firm_uhc": company.complaint_asic_uhc_name or "",
        }

    # ------------------------------------------------------------------
    # Preview and export
    # ------------------------------------------------------------------
    def action_compute(self):
        self.ensure_one()
        self.fca_line_ids.unlink()
        self.asic_line_ids.unlink()
        line_fields = self.env["complaint.fca.return.line"]._fields
        if self.return_type == "fca":
            self.fca_line_ids = [Command.create(row) for row in self._fca_rows()]
            self.problems = False
        elif self.return_type == "fca_consolidated":
            rows, problems = self._fca_cr_rows()
            self.fca_line_ids = [
                Command.create({k: v for k, v in row.items() if k in line_fields})
                for row in rows
            ]
            self.problems = "\n".join(problems) or False
        else:
            rows, problems = self._asic_rows()
            asic_fields = self.env["complaint.asic.return.line"]._fields
            self.asic_line_ids = [
                Command.create({k: v for k, v in row.items() if k in asic_fields})
                for row in rows
            ]
            self.problems = "\n".join(problems) or False
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _refuse(self, problems, intro):
        if problems:
            raise UserError(
                self.env._(
                    "%(intro)s\n%(problems)s",
                    intro=intro,
                    problems="\n".join(problems),
                )
            )

    def _return_table(self):
        """(header, rows) of the return, percentages of the closed computed
        here for the DISP 1 Annex 1 return."""
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
        if self.return_type == "fca_consolidated":
            return self._fca_cr_table()
        firm = self._asic_firm()
        rows, problems = self._asic_rows()
        self._refuse(
            problems,
            self.env._(
                "These complaints lack what the ASIC data dictionary requires; "
                "complete them (or their category, root cause and channel "
                "mappings) first:"
            ),
        )
        return [label for _key, label in ASIC_COLUMNS], [
            [(firm | row)[key] for key, _label in ASIC_COLUMNS] for row in rows
        ]

    def _fca_cr_table(self):
        """(header, rows) of the consolidated return: the firm and period on
        every row; a nil return is one row saying so."""
        rows, problems = self._fca_cr_rows()
        self._refuse(
            problems,
            self.env._(
                "The consolidated complaints return cannot be filed yet; "
                "complete these first:"
            ),
        )
        company = self.company_id.sudo()
        firm = [
            company.name,
            company.complaint_fca_frn,
            self.date_from.isoformat(),
            self.date_to.isoformat(),
        ]
        header = [
            "firm",
            "frn",
            "period_start",
            "period_end",
            "nil_return",
            "section",
            "product_code",
            "product",
            "issue_code",
            "issue",
            *FCA_CR_COLUMNS,
        ]
        if self.nil_return:
            return header, [[*firm, "yes", *([""] * 5), *([0] * len(FCA_CR_COLUMNS))]]
        return header, [
            [
                *firm,
                "no",
                row["section_code"],
                row["product_code"],
                row["product"],
                row["issue_code"],
                row["cause"],
                *(row[key] for key in FCA_CR_COLUMNS),
            ]
            for row in rows
        ]

    def _context_table(self):
        """(header, rows) of the contextualised data (consolidated return)."""
        if self.return_type != "fca_consolidated" or self.nil_return:
            return None, []
        rows, _problems = self._fca_cr_rows()
        keys = [
            "section_code",
            "section",
            "measure",
            "denominator",
            "opened",
            "per_1000",
        ]
        return keys, [[row[k] for k in keys] for row in self._fca_cr_context(rows)]

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
        context_header, context = self._context_table()
        if context:
            writer.writerow([])
            writer.writerow(context_header)
            writer.writerows(context)
        return self._download(
            self._file_name("csv"), buffer.getvalue().encode(), "text/csv"
        )

    def action_export_xlsx(self):
        self.ensure_one()
        header, table = self._return_table()
        context_header, context = self._context_table()
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        sheets = [(self.return_type.upper()[:31], header, table)]
        if context:
            sheets.append(("CONTEXT", context_header, context))
        for name, sheet_header, rows in sheets:
            sheet = workbook.add_worksheet(name)
            sheet.write_row(0, 0, sheet_header, bold)
            for index, row in enumerate(rows, start=1):
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
    section = fields.Char(help="Consolidated return: the section (permission).")
    product = fields.Char()
    cause = fields.Char(string="Cause or issue")
    outstanding = fields.Integer(string="Outstanding at start")
    opened = fields.Integer()
    closed = fields.Integer()
    outstanding_end = fields.Integer(string="Outstanding at end")
    within_3_days = fields.Integer(string="Closed within 3 business days")
    within_8_weeks = fields.Integer(string="Closed after 3 days, within 8 weeks")
    after_8_weeks = fields.Integer(string="Closed after 8 weeks")
    upheld = fields.Integer(help="Consolidated return: partly upheld included.")
    partly_upheld = fields.Integer()
    not_upheld = fields.Integer()
    redress = fields.Float(string="Redress paid")
    vulnerable = fields.Integer(string="Vulnerable customers")
    vulnerability_failure = fields.Integer(
        string="Caused by failure to consider vulnerability"
    )


class ComplaintAsicReturnLine(models.TransientModel):
    _name = "complaint.asic.return.line"
    _description = "ASIC IDR data report: one complaint"

    wizard_id = fields.Many2one(
        "complaint.regulatory.return.wizard", required=True, ondelete="cascade"
    )
    reference = fields.Char()
    brand = fields.Char()
    complainant_type = fields.Char()
    status = fields.Char()
    channel = fields.Char()
    date_received = fields.Char()
    date_closed = fields.Char()
    days_open = fields.Integer()
    representative = fields.Char()
    product_category = fields.Char()
    product = fields.Char()
    issue = fields.Char()
    outcome = fields.Char()
    compensation = fields.Float()
