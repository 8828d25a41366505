from datetime import datetime, timedelta

from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from ..models.complaint_improvement import FORMER_SIMILARITY_INDEX, SIMILARITY_INDEX
from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestSimilarComplaints(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.issue = cls.env["complaint.systemic.issue"].create(
            {"name": "Boilers leak after service"}
        )
        text = "Boiler leaking water after the annual service visit"
        day = datetime(2027, 1, 10, 9)
        cls.same_team = cls._create_complaint(
            name=text,
            description="<p>The engineer left and the boiler leaked.</p>",
            date_received=day,
            systemic_issue_id=cls.issue.id,
        )
        cls.other_team = cls._create_complaint(
            name=text,
            description="<p>The engineer left and the boiler leaked.</p>",
            category_id=cls.category_y.id,
            partner_id=cls.portal_b.partner_id.id,
            date_received=day,
        )
        cls.other_company = cls.env["res.company"].create({"name": "Similar Co"})
        cls.foreign = cls._create_complaint(
            name=text,
            description="<p>The engineer left and the boiler leaked.</p>",
            category_id=False,
            partner_id=False,
            company_id=cls.other_company.id,
            date_received=day,
        )
        cls.unrelated = cls._create_complaint(
            name="Invoice sent twice", date_received=day
        )
        cls.anonymised = cls._create_complaint(
            name=text,
            description="<p>The engineer left and the boiler leaked.</p>",
            date_received=day,
        )
        cls.anonymised.anonymized_date = day
        cls.new = cls._create_complaint(
            name="Boiler leaking water after annual service",
            description="<p>Since the engineer's visit the boiler leaks.</p>",
            partner_id=cls.portal_b.partner_id.id,
            date_received=day + timedelta(days=20),
        )

    def test_trigram_index_exists(self):
        """A GiST trigram index (nearest first), the GIN one of the first
        version dropped."""
        self.env.cr.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN %s",
            [(SIMILARITY_INDEX, FORMER_SIMILARITY_INDEX)],
        )
        indexes = dict(self.env.cr.fetchall())
        self.assertEqual(list(indexes), [SIMILARITY_INDEX])
        self.assertIn("gist_trgm_ops", indexes[SIMILARITY_INDEX])

    def test_lookup_reads_the_index_in_distance_order(self):
        """The lookup's query is a nearest-neighbour scan of the GiST index
        (no sequential scan and sort of every candidate)."""
        # a test's few rows: PostgreSQL would sort them all instead
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            self.env.cr.execute(SQL("SET LOCAL %s = off", SQL.identifier(setting)))
        query = self.env["complaint.complaint"]._search([])
        column = SQL.identifier(query.table, "similarity_text")
        query.order = SQL("%s <-> %s", column, self.new.similarity_text)
        query.limit = 5
        self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn(f"Index Scan using {SIMILARITY_INDEX}", plan)
        self.assertIn("Order By", plan)

    def test_team_handler_sees_own_team_only(self):
        similar = self.new.with_user(self.handler_x).similar_complaint_ids
        self.assertIn(self.same_team, similar)
        self.assertNotIn(self.other_team, similar, "another team's")
        self.assertNotIn(self.foreign, similar, "another company's")
        self.assertNotIn(self.anonymised, similar, "anonymised")
        self.assertNotIn(self.unrelated, similar)
        self.assertLessEqual(len(similar), 5)

    def test_manager_of_one_company(self):
        similar = self.new.with_user(self.manager).similar_complaint_ids
        self.assertIn(self.other_team, similar)
        self.assertNotIn(self.foreign, similar, "another company's")
        self.assertEqual(similar.systemic_issue_id, self.issue, "shown with its issue")

    def test_only_earlier_complaints(self):
        similar = self.same_team.with_user(self.manager).similar_complaint_ids
        self.assertNotIn(self.new, similar)
        self.assertNotIn(self.same_team, similar)

    def test_one_click_link(self):
        self.same_team.with_user(self.handler_x).with_context(
            complaint_id=self.new.id
        ).action_share_systemic_issue()
        self.assertEqual(self.new.systemic_issue_id, self.issue)

    def test_possible_duplicate_same_customer_within_7_days(self):
        first = self._create_complaint(
            name="My washing machine stopped during the spin cycle",
            description="<p>It stopped and shows error E21.</p>",
            date_received=datetime(2027, 2, 1, 9),
        )
        resubmitted = self._create_complaint(
            name="My washing machine stopped during the spin cycle",
            description="<p>It stopped and shows error E21!</p>",
            date_received=datetime(2027, 2, 3, 9),
        )
        self.assertEqual(resubmitted.possible_duplicate_id, first)
        self.assertIn("Possible duplicate", resubmitted.message_ids[0].body)
        late = self._create_complaint(
            name="My washing machine stopped during the spin cycle",
            description="<p>It stopped and shows error E21.</p>",
            date_received=datetime(2027, 2, 20, 9),
        )
        self.assertFalse(late.possible_duplicate_id, "more than 7 days later")
        other_customer = self._create_complaint(
            name="My washing machine stopped during the spin cycle",
            description="<p>It stopped and shows error E21.</p>",
            partner_id=self.portal_b.partner_id.id,
            date_received=datetime(2027, 2, 3, 10),
        )
        self.assertFalse(other_customer.possible_duplicate_id, "another customer")

    def test_handler_of_another_team_sees_none_of_team_x(self):
        """A handler of team Z reads the new complaint (moved to Z) but
        none of the similar complaints of team X, team Y or the other
        company."""
        loner = new_test_user(
            self.env, "cm_loner", groups="complaint_management.group_complaint_user"
        )
        team_z = self.env["helpdesk.ticket.team"].create(
            {"name": "Team Z", "user_ids": [(6, 0, loner.ids)]}
        )
        self.new.team_id = team_z
        similar = self.new.with_user(loner).similar_complaint_ids
        self.assertFalse(similar & (self.same_team | self.other_team | self.foreign))
        # the manager sees the same complaint's similar ones
        self.assertIn(
            self.same_team, self.new.with_user(self.manager).similar_complaint_ids
        )


@tagged("post_install", "-at_install")
class TestSimilarComplaintsStored(TestSimilarComplaints):
    """The same cases once the scheduled action has stored each complaint's
    nearest earlier ones (the path of every complaint after filing)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.complaint"]._cron_find_similar()

    def test_nearest_stored_for_every_team_and_company(self):
        """Stored for all readers: every team's and company's earlier
        complaints at least 40 % similar, nearest first; not the anonymised,
        the unrelated or later ones."""
        candidates = self.new.sudo().similar_candidates
        ids = [id_ for id_, _similarity in candidates]
        self.assertEqual(
            set(ids), {self.same_team.id, self.other_team.id, self.foreign.id}
        )
        similarities = [similarity for _id, similarity in candidates]
        self.assertEqual(similarities, sorted(similarities, reverse=True))
        self.assertTrue(all(0.4 <= s <= 1 for s in similarities), similarities)
        # received at the same time: earlier or at the same time
        self.assertEqual(
            {id_ for id_, _s in self.same_team.sudo().similar_candidates},
            {self.other_team.id, self.foreign.id},
        )

    def test_lookup_reads_the_stored_candidates_in_two_queries(self):
        manager_view = self.new.with_user(self.manager)
        self.assertTrue(manager_view.similarity_text)  # read before counting
        with self.assertQueryCount(2):  # the candidates; the record rules
            similar = manager_view._similar_complaints()
        self.assertEqual(similar, self.same_team | self.other_team)

    def test_changed_text_found_again(self):
        self.new.write({"name": "Invoice sent twice", "description": False})
        self.assertIs(self.new.sudo().similar_candidates, False, "to find again")
        self.env["complaint.complaint"]._cron_find_similar()
        ids = [id_ for id_, _s in self.new.sudo().similar_candidates]
        self.assertIn(self.unrelated.id, ids)
        self.assertNotIn(self.same_team.id, ids)

    def test_anonymised_later_left_out(self):
        self.same_team.anonymized_date = datetime(2027, 3, 1)
        similar = self.new.with_user(self.manager).similar_complaint_ids
        self.assertNotIn(self.same_team, similar)
        self.assertIn(self.other_team, similar)

    def test_found_by_a_scheduled_action_every_five_minutes(self):
        cron = self.env.ref("complaint_management.ir_cron_complaint_similar")
        self.assertEqual((cron.interval_number, cron.interval_type), (5, "minutes"))
        self.assertTrue(cron.active)
        fresh = self._create_complaint(name="Meter read twice")
        self.assertIs(fresh.sudo().similar_candidates, False, "not found yet")
        self.env["complaint.complaint"]._cron_find_similar()
        self.assertEqual(fresh.sudo().similar_candidates, [])
