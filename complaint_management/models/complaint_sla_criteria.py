"""The criteria of an SLA rule (``complaint.sla``), described once.

A rule applies to a complaint when every criterion it sets matches; a
criterion left empty matches any complaint. Each criterion of ``CRITERIA``
gives, from one description:

* the rule's value, as a plain value (rules are cached per worker as
  ``RuleSpec``; ``None`` when the rule leaves the criterion empty);
* the complaint's fact, as a plain value, and the Python test of the fact
  against the rule's value (a complaint created or changed is matched in
  memory against the cached rules: ``complaint.sla._spec_matches``);
* the ORM domain of the complaints it matches (a rule created or changed
  finds its complaints with one search: ``complaint.sla._complaint_domain``);
* what makes a complaint match again (``SLA_TRIGGERS``: fields per model,
  read by the ``write`` of the complaint, the rule, the category, the
  contact and the vulnerability note).

The Python test and the domain must agree: ``test_sla_criteria`` checks it on
generated complaints and rules for every criterion.
"""

from odoo.fields import Domain

COMPLAINT = "complaint.complaint"


class Criterion:
    """A criterion comparing the rule's ``rule_field`` with the complaint's
    ``field`` for equality (a many2one or a selection on both sides)."""

    def __init__(self, name, rule_field, field, triggers=None):
        self.name = name
        self.rule_field = rule_field
        self.field = field
        # {model: fields whose change can change the complaint's fact}
        self.triggers = triggers or {COMPLAINT: (field,)}

    @staticmethod
    def _plain(value):
        return value.id if hasattr(value, "_name") else value

    def rule_value(self, rule):
        """The rule's value, or None when the rule leaves the criterion empty."""
        return self._plain(rule[self.rule_field]) or None

    def fact(self, complaint):
        return self._plain(complaint[self.field])

    def matches(self, value, fact):
        return fact == value

    def domain(self, value):
        return Domain(self.field, "=", value)


class AnyOf(Criterion):
    """The complaint's many2one is one of the rule's many2many."""

    def rule_value(self, rule):
        return frozenset(rule[self.rule_field].ids) or None

    def matches(self, value, fact):
        return fact in value

    def domain(self, value):
        return Domain(self.field, "in", sorted(value))


class ChildOf(AnyOf):
    """The complaint's record (a ``_parent_store`` model) is one of the
    rule's or under one of them: the fact is the record and its ancestors,
    read from ``parent_path`` as the ``child_of`` operator does."""

    def fact(self, complaint):
        path = complaint[self.field].parent_path or ""
        return frozenset(int(part) for part in path.split("/") if part)

    def matches(self, value, fact):
        return not value.isdisjoint(fact)

    def domain(self, value):
        return Domain(self.field, "child_of", sorted(value))


class PartnerTags(AnyOf):
    """The complainant, or the company they belong to (commercial entity),
    carries one of the rule's customer tags."""

    PATHS = ("partner_id", "partner_id.commercial_partner_id")

    def fact(self, complaint):
        partner = complaint.partner_id
        return frozenset(partner.category_id.ids) | frozenset(
            partner.commercial_partner_id.category_id.ids
        )

    def matches(self, value, fact):
        return not value.isdisjoint(fact)

    def domain(self, value):
        return Domain.OR(
            Domain(f"{path}.category_id", "in", sorted(value)) for path in self.PATHS
        )


class AtLeast(Criterion):
    """The complaint's selection value is at least the rule's (priorities
    '0' to '3' compare as text, in SQL as in Python)."""

    def __init__(self, *args, default=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.default = default

    def fact(self, complaint):
        return complaint[self.field] or self.default

    def matches(self, value, fact):
        return fact is not None and fact >= value

    def domain(self, value):
        return Domain(self.field, ">=", value)


class Flag(Criterion):
    """A boolean of the rule asks the complaint's boolean to be set (read as
    superuser: the complaint's field may be restricted to some groups)."""

    def fact(self, complaint):
        return bool(complaint.sudo()[self.field])

    def matches(self, value, fact):
        return fact

    def domain(self, value):
        return Domain(self.field, "=", True)


CRITERIA = (
    Criterion("company", "company_id", "company_id"),
    AnyOf("team", "team_ids", "team_id"),
    # a category moved under another parent changes what its complaints match
    ChildOf(
        "category",
        "category_ids",
        "category_id",
        triggers={COMPLAINT: ("category_id",), "complaint.category": ("parent_id",)},
    ),
    AnyOf("channel", "channel_ids", "channel_id"),
    # the tags of the contact, or of their company (a contact moved to another
    # company changes its commercial entity)
    PartnerTags(
        "tags",
        "partner_category_ids",
        "partner_id",
        triggers={
            COMPLAINT: ("partner_id",),
            "res.partner": ("category_id", "parent_id"),
        },
    ),
    AtLeast("min_priority", "min_priority", "priority", default="0"),
    Criterion("severity", "severity", "severity"),
    # a vulnerability note recorded, moved or removed (is_vulnerable is computed)
    Flag(
        "vulnerable",
        "vulnerable_only",
        "is_vulnerable",
        triggers={"complaint.vulnerability": ("complaint_id",)},
    ),
)
CRITERIA_BY_NAME = {criterion.name: criterion for criterion in CRITERIA}


def _triggers():
    triggers = {"complaint.sla": {"active", "target_step"}}
    for criterion in CRITERIA:
        triggers["complaint.sla"].add(criterion.rule_field)
        for model, fnames in criterion.triggers.items():
            triggers.setdefault(model, set()).update(fnames)
    return {model: frozenset(fnames) for model, fnames in triggers.items()}


# What makes complaints match the rules again: {model: fields}. A rule
# applies again when its criteria, its activity or its target step change; a
# complaint, a category, a contact or a vulnerability note when a field its
# facts come from changes.
SLA_TRIGGERS = _triggers()
