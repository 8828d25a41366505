"""SLA matching written once: the criteria of complaint_sla_criteria give both
the ORM domain (a rule finds its complaints) and the Python test (a complaint
finds its rules); generated complaints and rules prove they agree."""

import random

from odoo.fields import Command, Domain
from odoo.tests import tagged

from ..models.complaint_sla_criteria import CRITERIA, SLA_TRIGGERS
from .test_sla import SlaCase


@tagged("post_install", "-at_install")
class TestSlaCriteria(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.Rule = env["complaint.sla"]
        cls.company_b = env["res.company"].create({"name": "Criteria Company B"})
        cls.teams = cls.team_x | cls.team_y
        Category = env["complaint.category"]
        root = Category.create({"name": "Finance"})
        child = Category.create({"name": "Cards", "parent_id": root.id})
        grandchild = Category.create({"name": "Card fees", "parent_id": child.id})
        archived = Category.create(
            {"name": "Cheques", "parent_id": root.id, "active": False}
        )
        cls.categories = (
            root | child | grandchild | archived | cls.category_x | cls.category_y
        )
        cls.channels = env["complaint.channel"].search([])
        Tag = env["res.partner.category"]
        cls.tags = Tag.create([{"name": f"Tag {n}"} for n in range(3)])
        Partner = env["res.partner"]
        firms = Partner.create(
            [
                {
                    "name": "Firm tagged",
                    "is_company": True,
                    "category_id": cls.tags[:1].ids,
                },
                {"name": "Firm plain", "is_company": True},
            ]
        )
        cls.partners = (
            Partner.create(
                [
                    {"name": "Solo tagged", "category_id": cls.tags[1:2].ids},
                    {"name": "Solo plain"},
                    {"name": "Employee plain", "parent_id": firms[0].id},
                    {
                        "name": "Employee tagged",
                        "parent_id": firms[1].id,
                        "category_id": cls.tags[2:].ids,
                    },
                ]
            )
            | firms
        )
        rng = random.Random(20)
        cls.complaints = cls._generate_complaints(rng, 80)
        cls.rng = rng

    @classmethod
    def _pick(cls, rng, records, empty=0.25):
        return records.browse() if rng.random() < empty else rng.choice(records)

    @classmethod
    def _generate_complaints(cls, rng, count):
        vals_list = []
        for n in range(count):
            category = cls._pick(rng, cls.categories)
            vals_list.append(
                {
                    "name": f"Generated complaint {n}",
                    "company_id": rng.choice([cls.company, cls.company_b]).id,
                    "category_id": category.id,
                    "team_id": cls._pick(rng, cls.teams).id,
                    "channel_id": rng.choice(cls.channels).id,
                    "partner_id": cls._pick(rng, cls.partners).id,
                    "priority": rng.choice(["0", "1", "2", "3"]),
                    "severity": rng.choice(
                        [False, "low", "medium", "high", "critical"]
                    ),
                }
            )
        complaints = cls.env["complaint.complaint"].create(vals_list)
        vulnerable = complaints.filtered(lambda c: rng.random() < 0.3)
        cls.env["complaint.vulnerability"].create(
            [{"complaint_id": c.id, "driver": "health"} for c in vulnerable]
        )
        return complaints

    def _subset(self, records, most=2):
        return records.browse(
            self.rng.sample(records.ids, self.rng.randint(1, min(most, len(records))))
        )

    def _criterion_vals(self, name):
        rng = self.rng
        return {
            "company": lambda: {
                "company_id": rng.choice([self.company, self.company_b]).id
            },
            "team": lambda: {"team_ids": [Command.set(self._subset(self.teams).ids)]},
            "category": lambda: {
                "category_ids": [Command.set(self._subset(self.categories).ids)]
            },
            "channel": lambda: {
                "channel_ids": [Command.set(self._subset(self.channels, 3).ids)]
            },
            "tags": lambda: {
                "partner_category_ids": [Command.set(self._subset(self.tags).ids)]
            },
            "min_priority": lambda: {"min_priority": rng.choice(["1", "2", "3"])},
            "severity": lambda: {
                "severity": rng.choice(["low", "medium", "high", "critical"])
            },
            "vulnerable": lambda: {"vulnerable_only": True},
        }[name]()

    def _rule_vals(self, names):
        vals = {"company_id": False, "active": False}  # inactive: not applied
        for name in names:
            vals.update(self._criterion_vals(name))
        return vals

    def _matches(self, rule):
        """(complaints the domain finds, complaints the predicate accepts)."""
        Complaint = self.env["complaint.complaint"].sudo()
        # as _apply_to_open_complaints searches: archived categories count
        found = Complaint.with_context(active_test=False).search(
            Domain("id", "in", self.complaints.ids) & rule._complaint_domain()
        )
        spec = rule._spec()
        accepted = Complaint.browse(
            [
                complaint.id
                for complaint in Complaint.browse(self.complaints.ids)
                if self.Rule._spec_matches(spec, self.Rule._match_facts(complaint))
            ]
        )
        return found, accepted

    def test_every_criterion_alone_domain_and_predicate_agree(self):
        names = [criterion.name for criterion in CRITERIA]
        self.assertEqual(
            names,
            [
                "company",
                "team",
                "category",
                "channel",
                "tags",
                "min_priority",
                "severity",
                "vulnerable",
            ],
        )
        for name in names:
            for _round in range(4):
                rule = self._rule(**self._rule_vals([name]))
                found, accepted = self._matches(rule)
                self.assertEqual(found, accepted, f"{name}: {rule._spec().criteria}")
            # the generated complaints tell the criterion apart
            self.assertTrue(
                0 < len(found) < len(self.complaints), f"{name}: {len(found)}"
            )

    def test_random_combinations_domain_and_predicate_agree(self):
        names = [criterion.name for criterion in CRITERIA]
        matched_some = 0
        for _round in range(60):
            chosen = [name for name in names if self.rng.random() < 0.35]
            rule = self._rule(**self._rule_vals(chosen))
            found, accepted = self._matches(rule)
            self.assertEqual(found, accepted, f"{chosen}: {rule._spec().criteria}")
            matched_some += bool(found)
        self.assertGreater(matched_some, 10)

    def test_one_list_of_trigger_fields(self):
        self.assertEqual(
            SLA_TRIGGERS,
            {
                "complaint.complaint": {
                    "company_id",
                    "team_id",
                    "category_id",
                    "channel_id",
                    "partner_id",
                    "priority",
                    "severity",
                },
                "complaint.category": {"parent_id"},
                "res.partner": {"category_id", "parent_id"},
                "complaint.vulnerability": {"complaint_id"},
                "complaint.sla": {
                    "active",
                    "target_step",
                    "company_id",
                    "team_ids",
                    "category_ids",
                    "channel_ids",
                    "partner_category_ids",
                    "min_priority",
                    "severity",
                    "vulnerable_only",
                },
            },
        )

    def test_category_moved_under_another_parent_rematches(self):
        Category = self.env["complaint.category"]
        payments = Category.create({"name": "Payments"})
        cards = Category.create({"name": "Cards abroad"})
        fees = Category.create({"name": "Card fees abroad", "parent_id": cards.id})
        rule = self._rule(category_ids=[Command.set(payments.ids)])
        of_cards = self._create_complaint(category_id=cards.id)
        of_fees = self._create_complaint(category_id=fees.id)
        elsewhere = self._create_complaint()
        self.assertFalse((of_cards | of_fees).sla_status_ids)
        cards.parent_id = payments
        self.assertEqual(self._line(of_cards, rule).status, "ongoing")
        self.assertEqual(self._line(of_fees, rule).status, "ongoing")
        self.assertFalse(self._line(elsewhere, rule))
        cards.parent_id = False
        self.assertFalse(self._line(of_cards, rule))
        self.assertFalse(self._line(of_fees, rule))

    def test_contact_moved_to_a_tagged_company_rematches(self):
        tag = self.env["res.partner.category"].create({"name": "Key account"})
        firm = self.env["res.partner"].create(
            {"name": "Key Firm", "is_company": True, "category_id": tag.ids}
        )
        contact = self.env["res.partner"].create({"name": "Jo Contact"})
        rule = self._rule(partner_category_ids=[Command.set(tag.ids)])
        complaint = self._create_complaint(partner_id=contact.id)
        self.assertFalse(self._line(complaint, rule))
        contact.parent_id = firm
        self.assertEqual(self._line(complaint, rule).status, "ongoing")
