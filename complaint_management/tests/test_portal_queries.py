import json
from unittest.mock import patch

from odoo.sql_db import Cursor
from odoo.tests import tagged
from odoo.tools import SQL

from .portal_common import ComplaintHttpCase

# Queries per page for a portal customer, test mode included (the shared test
# cursor's savepoints): a change here is a change in the cost of every page.
PAGE_QUERIES = {
    "/my": 12,
    "/my/counters": 5,
    "/my/complaints": 11,
    "detail": 15,
    "/my/complaints/new": 7,
    "submit": 39,
    "/complaints/new": 8,
    "/complaints/policy": 13,
}


@tagged("post_install", "-at_install", "performance")
class TestPortalQueries(ComplaintHttpCase):
    """Queries per portal page pinned, and the customer's complaints read
    from the customer index."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own = cls.env["complaint.complaint"]
        for n in range(12):
            cls.own |= cls._create_complaint(name=f"Parcel {n} lost")
        cls._create_complaint(name="Bob's table", partner_id=cls.portal_b.partner_id.id)

    def _queries(self, request):
        """Queries of one request, after two to warm the caches."""
        request()
        request()
        self.env.flush_all()
        before = self.cr.sql_log_count
        response = request()
        self.assertLess(response.status_code, 400)
        return self.cr.sql_log_count - before

    def test_queries_per_page(self):
        self.authenticate("cm_portal_a", "cm_portal_a")
        csrf = self._csrf("/my/complaints/new")
        category = self.category_x.id
        pages = {
            "/my": lambda: self.url_open("/my"),
            "/my/counters": lambda: self.url_open(
                "/my/counters",
                data=json.dumps({"params": {"counters": ["complaint_count"]}}),
                headers={"Content-Type": "application/json"},
            ),
            "/my/complaints": lambda: self.url_open("/my/complaints"),
            "detail": lambda: self.url_open(f"/my/complaints/{self.own[0].id}"),
            "/my/complaints/new": lambda: self.url_open("/my/complaints/new"),
            "submit": lambda: self.url_open(
                "/my/complaints/new",
                data={
                    "csrf_token": csrf,
                    "subject": "Meter read twice",
                    "description": "The meter was read twice this month.",
                    "category_id": str(category),
                    "consent": "on",
                },
                allow_redirects=False,
            ),
        }
        counts = {page: self._queries(request) for page, request in pages.items()}
        self.logout()
        public = {
            "/complaints/new": lambda: self.url_open("/complaints/new"),
            "/complaints/policy": lambda: self.url_open("/complaints/policy"),
        }
        counts.update(
            {page: self._queries(request) for page, request in public.items()}
        )
        self.maxDiff = None
        self.assertEqual(counts, PAGE_QUERIES)

    def test_own_complaints_read_from_the_customer_index(self):
        """The portal list's condition compares the stored commercial
        partner (no masking CASE, no join on the contact), so PostgreSQL
        counts and pages a customer's complaints from the customer index
        (complaint_complaint_customer_date_idx; a test's few rows do not
        show it in the plan, the load test does)."""
        Complaint = self.env["complaint.complaint"].with_user(self.portal_a)
        self.env.flush_all()
        query = Complaint._search(Complaint._portal_own_domain())
        sql = query.select(SQL("COUNT(*)"))
        self.assertNotIn("CASE", sql.code)
        self.assertNotIn("res_partner", sql.code)
        self.assertEqual(
            Complaint.search(Complaint._portal_own_domain()),
            self.own
            | self.env["complaint.complaint"].search(
                [("partner_id", "=", self.portal_a.partner_id.id)]
            ),
        )

    def test_list_reads_only_the_columns_it_shows(self):
        """The list finds its rows and reads the columns its table shows in
        one query: not the descriptions and texts kept for similarity of
        80 complaints; the dates are still in the complainant's zone."""
        self.authenticate("cm_portal_a", "cm_portal_a")
        self.url_open("/my/complaints")
        queries = []
        execute = Cursor.execute

        def recording(cr, query, params=None, log_exceptions=True):
            queries.append(query.code if isinstance(query, SQL) else str(query))
            return execute(cr, query, params, log_exceptions)

        with patch.object(Cursor, "execute", recording):
            response = self.url_open("/my/complaints")
        self.assertEqual(response.status_code, 200)
        rows = [
            query
            for query in queries
            if query.startswith("SELECT")
            and '"complaint_complaint"."reference"' in query
        ]
        self.assertEqual(len(rows), 1, rows)
        self.assertIn("LIMIT", rows[0])
        self.assertNotIn('"complaint_complaint"."description"', rows[0])
        self.assertNotIn('"complaint_complaint"."similarity_text"', rows[0])
        complaint = self.own[0]
        self.assertIn(
            complaint._customer_datetime(complaint.date_received, date_only=True),
            response.text,
        )

    def test_submission_is_one_line_in_the_log(self):
        """The portal form's channel and the consent are the creation's line
        in the log: no separate "created" line and note."""
        self.authenticate("cm_portal_a", "cm_portal_a")
        response = self.url_open(
            "/my/complaints/new",
            data={
                "csrf_token": self._csrf("/my/complaints/new"),
                "subject": "Meter read three times",
                "description": "The meter was read three times this month.",
                "category_id": str(self.category_x.id),
                "consent": "on",
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        complaint = self.env["complaint.complaint"].search(
            [("name", "=", "Meter read three times")]
        )
        bodies = complaint.message_ids.mapped("body")
        notes = [body for body in bodies if "accepted the privacy notice" in body]
        self.assertEqual(len(notes), 1, bodies)
        self.assertIn("Submitted on the Customer portal", notes[0])
        self.assertFalse([body for body in bodies if "Complaint created" in body])

    def test_pages_do_not_write(self):
        """Every complaint has its token from its creation: the detail page
        (a read-only request), whose pager links the previous and next
        complaints with their tokens, writes nothing."""
        self.assertTrue(all(self.own.mapped("access_token")))
        self.authenticate("cm_portal_a", "cm_portal_a")
        self.url_open("/my/complaints")  # the pager's history
        write_date = self.own[1].write_date
        with self.assertNoLogs("odoo.http", "WARNING"):
            response = self.url_open(f"/my/complaints/{self.own[1].id}")
        self.assertEqual(response.status_code, 200)
        self.own.invalidate_recordset()
        self.assertEqual(self.own[1].write_date, write_date)
