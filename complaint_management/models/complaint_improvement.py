import logging

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, html2plaintext

from .cron_batches import run_in_batches

_logger = logging.getLogger(__name__)

SIMILAR_LIMIT = 5
# Characters of subject and description compared by trigram similarity (the
# start of a complaint says what it is about; longer texts make every
# trigram common and the index slow).
SIMILARITY_TEXT_SIZE = 150
# Trigram similarity from which a complaint is shown: the five nearest by
# trigram distance (pg_trgm's "<->", a GiST index scanned in distance order,
# whatever the number of complaints), less those under this similarity.
SIMILAR_THRESHOLD = 0.4
# ... as the largest trigram distance (1 - similarity) shown: pg_trgm's
# distance is a float4, so a little room for 1 - 0.4.
SIMILAR_MAX_DISTANCE = 1 - SIMILAR_THRESHOLD + 1e-6
# Same customer, within this many days, at least this similar: a possible
# duplicate submission.
DUPLICATE_DAYS = 7
DUPLICATE_SIMILARITY = 0.8
# ... among the customer's latest this many complaints of those days.
DUPLICATE_RECENT = 50
# Nearest earlier complaints kept per complaint by the scheduled action (the
# form shows the first five of them the user may read).
SIMILAR_CANDIDATES = 50
SIMILAR_CRON = "complaint_management.ir_cron_complaint_similar"
SIMILARITY_INDEX = "complaint_complaint_similarity_text_gist_idx"
# The GIN index of the first version: the planner preferred a sequential scan
# to it for long texts (every trigram common), 250 ms at 10,000 complaints.
FORMER_SIMILARITY_INDEX = "complaint_complaint_similarity_text_trgm_idx"


class ComplaintImprovement(models.AbstractModel):
    """The improvement loop on the complaint: its systemic issue, the most
    similar earlier complaints (PostgreSQL pg_trgm) and possible duplicate
    submissions, the ombudsman's decision on an external referral."""

    _name = "complaint.improvement"
    _description = "Complaint improvement loop"

    systemic_issue_id = fields.Many2one(
        "complaint.systemic.issue",
        string="Systemic issue",
        tracking=True,
        index="btree_not_null",
        copy=False,
        domain="[('company_id', '=', company_id), ('state', '!=', 'closed')]",
    )
    similarity_text = fields.Char(
        compute="_compute_similarity_text",
        store=True,
        precompute=True,
        help="Subject and the start of the description as plain text, compared "
        "by trigram similarity (GiST index).",
    )
    possible_duplicate_id = fields.Many2one(
        "complaint.complaint",
        string="Possible duplicate of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="A near-identical complaint of the same customer received within "
        "7 days before this one.",
    )
    similar_candidates = fields.Json(
        compute="_compute_similar_candidates",
        store=True,
        readonly=False,
        copy=False,
        prefetch=False,
        groups="complaint_management.group_complaint_user",
        help="The nearest earlier complaints of any team or company, "
        "[id, similarity] nearest first, found by a scheduled action every 5 "
        "minutes after filing and after each change of the compared text "
        "(empty until then).",
    )
    similar_complaint_ids = fields.Many2many(
        "complaint.complaint",
        string="Similar complaints",
        compute="_compute_similar_complaint_ids",
        help="The five most similar earlier complaints you may read "
        "(anonymised ones left out).",
    )
    external_referral_decision = fields.Selection(
        [
            ("upheld", "Upheld by the ombudsman"),
            ("not_upheld", "Not upheld by the ombudsman"),
        ],
        string="Ombudsman's decision",
        tracking=True,
        copy=False,
        help="Upheld: the external body found for the complainant against "
        "the firm's final response (an overturn).",
    )

    @api.depends("name", "description")
    def _compute_similarity_text(self):
        for complaint in self:
            text = " ".join(
                (complaint.name or "", html2plaintext(complaint.description or ""))
            )
            complaint.similarity_text = " ".join(text.split())[:SIMILARITY_TEXT_SIZE]

    @api.depends("similarity_text")
    def _compute_similar_candidates(self):
        # found again by the scheduled action (every 5 minutes)
        self.similar_candidates = None

    @api.private
    def init(self):
        result = super().init()
        if not self._abstract:  # the complaint's table, not this mixin
            self._create_trigram_index()
        return result

    def _create_trigram_index(self):
        """The pg_trgm extension and a GiST trigram index on the compared text
        (nearest-neighbour scans in distance order).
        Without the privilege to create the extension, similar complaints and
        duplicate detection are off and the log says what to do."""
        cr = self.env.cr
        try:
            with cr.savepoint(flush=False):
                cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except (pg_errors.InsufficientPrivilege, pg_errors.UndefinedFile) as error:
            _logger.warning(
                "Similar complaints are off: the extension pg_trgm could not be "
                "created (%s). Ask the database administrator to run "
                "CREATE EXTENSION pg_trgm in this database, then restart Odoo.",
                error.pgerror and error.pgerror.strip(),
            )
            return
        # Odoo reads this flag when the registry loads (odoo.modules.db.has_trigram);
        # the extension may be new since then
        self.env.registry.has_trigram = True
        cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS %s ON complaint_complaint "
                "USING gist (similarity_text gist_trgm_ops)",
                SQL.identifier(SIMILARITY_INDEX),
            )
        )
        cr.execute(
            SQL("DROP INDEX IF EXISTS %s", SQL.identifier(FORMER_SIMILARITY_INDEX))
        )

    # ------------------------------------------------------------------
    # Similar complaints
    # ------------------------------------------------------------------
    @api.depends("similarity_text")
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_similar_complaint_ids(self):
        for complaint in self:
            complaint.similar_complaint_ids = complaint._similar_complaints()

    def _similar_complaints(self, limit=SIMILAR_LIMIT):
        """The ``limit`` most similar earlier complaints the current user may
        read, anonymised ones left out: from the nearest candidates the
        scheduled action stored (one query for the user's record rules), else
        (not found yet, or a new record) by a nearest-neighbour search now."""
        self.ensure_one()
        Complaint = self.env["complaint.complaint"]
        if not self.similarity_text or not self.env.registry.has_trigram:
            return Complaint
        origin = self._origin
        candidates = (
            origin.id
            and origin.similarity_text == self.similarity_text  # not being edited
            and origin.sudo().similar_candidates
        )
        if candidates is None or candidates is False:
            return self._search_similar(limit)
        ids = [id_ for id_, _similarity in candidates]
        readable = set(
            Complaint._search(
                [("id", "in", ids), ("anonymized_date", "=", False)]
            ).get_result_ids()
        )
        return Complaint.browse([id_ for id_ in ids if id_ in readable][:limit])

    def _search_similar(self, limit):
        """Nearest-neighbour search in the GiST index (distance order) under
        the current user's record rules: its cost grows with the number of
        complaints the user may read (about 175 ms at 100,000)."""
        text = self.similarity_text
        Complaint = self.env["complaint.complaint"]
        Complaint.flush_model(["similarity_text", "anonymized_date", "date_received"])
        domain = [("anonymized_date", "=", False)]
        if self._origin.id:
            domain += [
                ("id", "!=", self._origin.id),
                ("date_received", "<=", self.date_received),
            ]
        query = Complaint._search(domain)
        table = query.table
        distance = SQL("%s <-> %s", SQL.identifier(table, "similarity_text"), text)
        # nearest first, straight from the GiST index (no sort of candidates)
        query.order = distance
        query.limit = limit
        rows = self.env.execute_query(
            query.select(SQL.identifier(table, "id"), distance)
        )
        return Complaint.browse(
            id_ for id_, dist in rows if dist <= SIMILAR_MAX_DISTANCE
        )

    @api.model
    def _cron_find_similar(self, batch_size=200):
        """Store the nearest earlier complaints of the complaints that have
        none yet, by batches committed one by one. Each form then reads its
        similar complaints in one query whatever the number of complaints."""
        if not self.env.registry.has_trigram:
            return 0
        self.flush_model(["similar_candidates", "anonymized_date", "similarity_text"])

        def batch(size):
            self.env.cr.execute(
                SQL(
                    """
                    SELECT id FROM complaint_complaint
                    WHERE similar_candidates IS NULL
                      AND anonymized_date IS NULL
                      AND similarity_text IS NOT NULL
                    ORDER BY id DESC
                    LIMIT %s
                    FOR UPDATE SKIP LOCKED
                    """,
                    size,
                )
            )
            todo = self.browse(row[0] for row in self.env.cr.fetchall())
            todo._store_similar_candidates()
            return len(todo)

        return run_in_batches(self.env, batch, batch_size, cron_xmlid=SIMILAR_CRON)

    def _store_similar_candidates(self):
        """One query for the batch: for each complaint, a nearest-neighbour
        scan of the GiST index (a lateral join) keeps the nearest earlier
        complaints of every team and company at least 40 % similar, as
        [id, similarity] nearest first."""
        self.flush_model(
            [
                "similarity_text",
                "similar_candidates",
                "anonymized_date",
                "date_received",
            ]
        )
        self.env.cr.execute(
            SQL(
                """
                WITH found AS (
                    SELECT n.id, COALESCE(
                        jsonb_agg(
                            jsonb_build_array(
                                near.id, round((1 - near.distance)::numeric, 3)
                            ) ORDER BY near.distance, near.id
                        ) FILTER (WHERE near.id IS NOT NULL),
                        '[]'::jsonb
                    ) AS candidates
                    FROM complaint_complaint n
                    LEFT JOIN LATERAL (
                        SELECT o.id, o.similarity_text <-> n.similarity_text
                            AS distance
                        FROM complaint_complaint o
                        WHERE o.id != n.id
                          AND o.anonymized_date IS NULL
                          AND o.date_received <= n.date_received
                        ORDER BY o.similarity_text <-> n.similarity_text
                        LIMIT %(candidates)s
                    ) near ON near.distance <= %(distance)s
                    WHERE n.id = ANY(%(ids)s)
                    GROUP BY n.id
                )
                UPDATE complaint_complaint c
                SET similar_candidates = found.candidates
                FROM found WHERE c.id = found.id
                """,
                ids=self.ids,
                candidates=SIMILAR_CANDIDATES,
                distance=SIMILAR_MAX_DISTANCE,
            )
        )
        self.invalidate_recordset(["similar_candidates"])

    def action_share_systemic_issue(self):
        """From a similar complaint (``self``): link the complaint being read
        (``complaint_id`` in the context) to this one's systemic issue."""
        self.ensure_one()
        if not self.systemic_issue_id:
            raise UserError(self.env._("This complaint has no systemic issue."))
        target = self.browse(self.env.context.get("complaint_id")).exists()
        if not target:
            raise UserError(self.env._("Open the complaint to link first."))
        target.write({"systemic_issue_id": self.systemic_issue_id.id})
        return True

    def action_view_systemic_issue(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "complaint.systemic.issue",
            "res_id": self.systemic_issue_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Possible duplicates at intake
    # ------------------------------------------------------------------
    def _flag_possible_duplicates(self):
        """One query for the batch: for each new complaint of a known
        customer, the most similar of the same customer's latest 50
        complaints received in the 7 days before it, when at least 80 %
        similar (trigrams)."""
        with_partner = self.filtered(
            lambda c: c.commercial_partner_id and not c.is_anonymous
        )
        if not with_partner or not self.env.registry.has_trigram:
            return
        self.flush_model(
            [
                "similarity_text",
                "commercial_partner_id",
                "date_received",
                "company_id",
                "is_anonymous",
                "active",
            ]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT n.id, dup.id
                FROM complaint_complaint n
                CROSS JOIN LATERAL (
                    SELECT recent.id
                    FROM (
                        -- the customer's latest complaints of the 7 days
                        -- (index on customer and date): bounded work for a
                        -- customer who files many
                        SELECT o.id, o.similarity_text
                        FROM complaint_complaint o
                        WHERE o.commercial_partner_id = n.commercial_partner_id
                          AND o.active IS TRUE
                          AND o.date_received
                              >= n.date_received - %(days)s * interval '1 day'
                          AND o.date_received <= n.date_received
                          AND o.company_id = n.company_id
                          AND o.id < n.id
                          AND NOT COALESCE(o.is_anonymous, FALSE)
                        ORDER BY o.date_received DESC
                        LIMIT %(recent)s
                    ) recent
                    WHERE similarity(recent.similarity_text, n.similarity_text)
                          >= %(limit)s
                    ORDER BY similarity(recent.similarity_text, n.similarity_text)
                             DESC, recent.id DESC
                    LIMIT 1
                ) dup
                WHERE n.id = ANY(%(ids)s)
                """,
                days=DUPLICATE_DAYS,
                recent=DUPLICATE_RECENT,
                limit=DUPLICATE_SIMILARITY,
                ids=with_partner.ids,
            )
        )
        pairs = dict(self.env.cr.fetchall())
        if not pairs:
            return
        flagged = self.browse(pairs).sudo()
        for complaint in flagged:
            complaint.possible_duplicate_id = pairs[complaint.id]
            original = complaint.possible_duplicate_id
            complaint.message_post(
                body=self.env._(
                    "Possible duplicate: %(reference)s of the same customer, "
                    "received within 7 days, is nearly identical.",
                    reference=original.reference,
                ),
                subtype_xmlid="mail.mt_note",
            )
        # written now: the flagged ones (one more column) would otherwise
        # split the next flush of the batch in two statements
        self.flush_recordset()
