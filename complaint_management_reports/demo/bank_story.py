"""Demo data of a regulated company: a UK bank under the FCA's DISP and PSD
profiles, its complaints since 1 July 2026 played through the normal code
(create, stage gates, the legal clock's wizards, the customer's answer) at
backdated moments, the legal-clock sweep every morning: the story's clock of
``complaint_management/demo/story.py`` with the bank's plans. Called by
``demo/complaint_bank_demo.xml`` (and the tests) through
``complaint.complaint._demo_build_bank_story``; never by production code."""

import base64
import random
from collections import namedtuple
from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.tools.misc import file_open

from odoo.addons.complaint_management.demo.story import DemoStory
from odoo.addons.complaint_management.models.complaint_stage import STEP_CLOSED
from odoo.addons.complaint_management.models.letter_flags import CTX_NO_COMMIT

BANK_START = datetime(2026, 7, 1, 9, 0)
CODE = "complaint_management_reports.return_code_"
PROFILE = "complaint_management.regulatory_profile_"
# name, FCA product group (to 2026), PS25/19 product (from 2027), profile
CATEGORIES = [
    ("Current accounts", "banking", "current_account", "fca_disp"),
    ("Savings accounts", "banking", "savings", "fca_disp"),
    ("Credit cards", "banking", "credit_card", "fca_disp"),
    ("Card payments and transfers", "banking", "payment_transaction", "fca_psd"),
]
# name, FCA cause (to 2026), PS25/19 issue (from 2027)
ROOT_CAUSES = [
    ("Fee charged in error", "terms", "terms_charges"),
    ("Payment delayed", "admin", "delays"),
    ("Vulnerability not taken into account", "other", "vulnerability"),
]
# the sections of the consolidated return its permissions call for
SECTIONS = ("retail_banking", "consumer_credit", "payment_services")
CUSTOMERS = "Olivia Bennett, Rajesh Patel, Margaret Hughes, Daniel Okoye, Chloe Evans"
# What happens to the complaints, in turn: a summary resolution within three
# business days, a final response, a holding response at week 8 then the
# final response, once a final response too late (breached, no holding response).
KINDS = ("summary", "final", "summary", "final", "holding", "final", "late")
Plan = namedtuple(
    "Plan",
    "index kind received category customer channel vulnerable failure referral",
)
NOTE_DELAY = "We are waiting for the card scheme's chargeback records."


def build(env, name):
    """Create the bank ``name`` and play its complaints (demo data only)."""
    from freezegun import freeze_time  # as the story: needed by the demo only

    BankStory(env, name).run(freeze_time)
    return True


class BankStory(DemoStory):
    """The story's clock, with the bank's company, plans and lives."""

    def __init__(self, env, name):  # pylint: disable=super-init-not-called
        self.env = env = env(su=True)
        self.company = self._create_bank(name)
        self.calendar = self.company.resource_calendar_id
        self.now = fields.Datetime.now()
        self.start = BANK_START
        # Mails are queued (the mail cron sends them), never sent during load.
        self.Complaint = (
            env["complaint.complaint"]
            .with_company(self.company)
            .with_context(mail_notify_force_send=False, **{CTX_NO_COMMIT: True})
        )

    def _create_bank(self, name):
        env, ref = self.env, self.env.ref
        with file_open("complaint_management_reports/demo/bank_logo.png", "rb") as logo:
            logo = base64.b64encode(logo.read())
        # Its own calendar: England and Wales bank holidays, London time.
        calendar = ref("complaint_management.calendar_uk_england").copy()
        calendar.name = f"{name}: business days"
        calendar._complaint_fill_public_holidays(range(2026, 2029))
        bank = env["res.company"].create(
            {
                "name": name,
                "logo": logo,
                "resource_calendar_id": calendar.id,
                "currency_id": ref("base.GBP").id,
                "country_id": ref("base.uk").id,
                "city": "London",
                "email": "complaints@bank.example.com",
                "complaint_regulatory_profile_id": ref(f"{PROFILE}fca_disp").id,
                # the final response is the last word: next, the ombudsman
                "complaint_appeal_levels": 0,
                "complaint_external_body": "the Financial Ombudsman Service",
                "complaint_fca_frn": "900001",
                "complaint_fca_section_ids": [
                    ref(f"{CODE}fca_cr_section_{section}").id for section in SECTIONS
                ],
            }
        )
        bank.partner_id.tz = calendar.tz
        calendar.company_id = bank
        for user in env.user | ref("base.user_admin"):
            user.company_ids |= bank
        users = env["res.users"].with_context(no_reset_password=True)
        handlers = users.create(
            [
                {
                    "name": person,
                    "login": f"{person.split()[0].lower()}.{bank.id}@bank.example.com",
                    "company_id": bank.id,
                    "company_ids": bank.ids,
                    "group_ids": ref("complaint_management.group_complaint_user").ids,
                }
                for person in ("Priya Shah", "James Carter")
            ]
        )
        team = env["helpdesk.ticket.team"].create(
            {
                "name": "Customer Complaints Unit",
                "company_id": bank.id,
                "user_ids": [Command.set(handlers.ids)],
            }
        )
        self.categories = env["complaint.category"].create(
            [
                {
                    "name": cat_name,
                    "company_id": bank.id,
                    "team_id": team.id,
                    "regulatory_profile_id": ref(f"{PROFILE}{profile}").id,
                    "fca_product_code_id": ref(f"{CODE}fca_product_{group}").id,
                    "fca_cr_product_code_id": ref(f"{CODE}fca_cr_product_{code}").id,
                }
                for cat_name, group, code, profile in CATEGORIES
            ]
        )
        self.causes = env["complaint.root.cause"].create(
            [
                {
                    "name": cause,
                    "fca_cause_code_id": ref(f"{CODE}fca_cause_{old}").id,
                    "fca_cr_issue_code_id": ref(f"{CODE}fca_cr_issue_{code}").id,
                }
                for cause, old, code in ROOT_CAUSES
            ]
        )
        self.customers = env["res.partner"].create(
            [
                {"name": person, "email": f"{person.split()[0].lower()}@example.com"}
                for person in CUSTOMERS.split(", ")
            ]
        )
        return bank

    def _send_letters(self):
        """The bank's letters are not rendered at load (a PDF run per letter
        would add a minute to the install): its outbox is emptied at the
        end; each letter prints from its complaint (Print menu)."""
        if fields.Datetime.now() >= self.now:
            self.env["complaint.letter"].search(
                [("complaint_id.company_id", "=", self.company.id)]
            ).unlink()

    def _setup_sla(self):
        """The bank has no operational SLA rules: its legal clock is the story."""

    def _run_crons(self, daily=False):
        self.Complaint._cron_regulatory_clock()

    def _cron_ticks(self):
        """The legal-clock sweep (its scheduled action), every morning."""
        moment = self.start.replace(hour=6, minute=0)
        while True:
            moment += timedelta(days=1)
            yield moment
            self._run_crons()

    def _plans(self):
        """One complaint about every five days, and the last ones back from
        now: a holding response still waiting for the final response."""
        days = (self.now - self.start).days
        received = [
            self.start + timedelta(days=d, hours=d % 7) for d in range(0, days - 3, 5)
        ]
        channels = [
            self.env.ref(f"complaint_management.complaint_channel_{code}")
            for code in ("phone", "email", "web", "letter")
        ]
        plans = []
        for index, when in enumerate(received):
            kind = KINDS[index % len(KINDS)]
            if when > self.now - timedelta(days=70) and kind in ("holding", "late"):
                kind = "final"  # not enough time left to reach week 8
            elif kind == "late" and index >= len(KINDS):
                kind = "final"  # one late complaint
            week8 = kind in ("holding", "late")
            plans.append(
                Plan(
                    index=index,
                    kind=kind,
                    received=when,
                    # the payment services complaints (PSD) answered in time
                    category=self.categories[index % (3 if week8 else 4)],
                    customer=self.customers[index % len(self.customers)],
                    channel=channels[index % len(channels)],
                    vulnerable=index % 4 == 1,
                    failure=index % 12 == 5,
                    referral=index % 9 == 3 and kind == "final",
                )
            )
        if not plans:
            return plans  # loaded before the story's start
        waiting = plans[0]._replace(index=len(plans), kind="holding")
        plans.append(waiting._replace(received=self.now - timedelta(days=60)))
        return plans

    def _life(self, plan):
        """Receipt (acknowledged at once), assessment, investigation, then
        the answer the plan says; the complainant accepts, or rejects and is
        referred to the ombudsman; closure. Yields each next moment."""
        yield plan.received
        complaint = self.Complaint.create(
            {
                "name": f"{plan.category.name}: complaint {plan.index + 1}",
                "description": "<p>I was charged and kept waiting without reason.</p>",
                "partner_id": plan.customer.id,
                "channel_id": plan.channel.id,
                "category_id": plan.category.id,
                "company_id": self.company.id,
                "date_received": plan.received,
                "vulnerability_ids": [Command.create({"driver": "health"})]
                * plan.vulnerable,
            }
        )
        handler = complaint.team_id.user_ids[plan.index % 2]
        staff = self._as(complaint, handler)
        at = self.later(plan.received, 2)
        yield at
        staff.user_id = handler
        self._move(staff, "assessed", {"severity": "medium", "impact": "One customer."})
        self._move(staff, "investigating")
        staff.regulatory_waiver_consent = "consent"
        if plan.kind == "summary":
            at = self.later(at, 10)  # by the end of the third business day
            yield at
            self._wizard(staff, handler, kind="resolution", resolved_date=at)
        # a final response within 8 weeks (DISP), within 15 business days (PSD)
        psd = plan.category == self.categories[3]
        final = 2 if psd else 3 + plan.index % 4
        weeks = {"summary": 0, "final": final, "holding": 10, "late": 9}
        if plan.kind == "holding":
            at = plan.received + timedelta(days=53)  # week 8, the deadline near
            yield at
            self._wizard(
                staff,
                handler,
                kind="holding",
                reason=NOTE_DELAY,
                expected_date=at + timedelta(days=21),
            )
        at = max(at, plan.received + timedelta(weeks=weeks[plan.kind]))
        yield at
        upheld = not plan.referral
        self._move(
            staff,
            "responded",
            {
                "findings": "<p>The charge was applied by a batch job in error.</p>",
                "proposed_resolution": "<p>We refund the charge with interest.</p>",
                "remedy_type": "refund" if upheld else "none",
            },
        )
        at = self.later(at, 2)
        yield at
        self._move(
            staff,
            "decided",
            {
                "decision": "upheld" if upheld else "not_upheld",
                "decision_note": "<p>We refund the charge with interest.</p>"
                if upheld
                else "<p>The charge is in the terms of your account.</p>",
                "redress_amount": 25.0 + plan.index if upheld else 0.0,
                "redress_type": "refund" if upheld else "none",
            },
        )
        at = self.customer_time(random.Random(plan.index), at, 2)
        yield at
        if upheld:
            staff.action_customer_accept("Thank you.")
        else:
            staff.action_customer_reject("I will ask the ombudsman.")
        at = self.later(at, 3)
        yield at
        cause = self.causes[2] if plan.failure else self.causes[plan.index % 2]
        staff.vulnerability_failure = plan.failure
        self._move(staff, STEP_CLOSED, {"root_cause_id": cause.id})
        if complaint.external_referral_body:
            yield at + timedelta(weeks=12)
            complaint.external_referral_outcome = (
                "The ombudsman found the charge in the account's terms: not upheld."
            )

    def _wizard(self, complaint, handler, **values):
        """The handler's holding response or quick resolution, by its wizard."""
        Wizard = self.env["complaint.regulatory.response.wizard"].with_user(handler)
        Wizard.create(dict(values, complaint_ids=complaint.ids)).action_confirm()
