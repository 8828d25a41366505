"""Customer portal: /my/complaints, the detail page and its actions, and the
logged-in complaint form.

Every route that takes a complaint id checks access on that id with
``_document_check_access`` (record rules, or a valid ``access_token``) before
anything is read or written: another customer's complaint, a wrong token or a
guessed id all answer 404.
"""

from collections import OrderedDict
from urllib.parse import urlencode

from odoo import SUPERUSER_ID, http
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.rating.models.rating_data import (
    RATING_HAPPY_VALUE,
    RATING_NEUTRAL_VALUE,
    RATING_UNHAPPY_VALUE,
)

from ..models.complaint_stage import STEP_CLOSED, STEP_ORDER, STEPS
from .main import ComplaintFormMixin, complaint_html_data

DECISION_REPORT = "complaint_management_reports.action_report_complaint_decision"
# Result of an action on the detail page, shown as a banner (?message=code).
MESSAGE_CODES = ("accepted", "rejected", "appealed", "rated")
ERROR_CODES = ("no_decision", "appeal_reason", "appeal_refused", "rating")
# Steps in which the complaint has a decision to show, answer and rate.
DECISION_STEPS = ("decided", STEP_CLOSED)
# What a row of the list (portal_my_complaints_table) reads, with the
# complainant and company of each row's time zone (customer_tz).
PORTAL_LIST_FIELDS = [
    "reference",
    "name",
    "category_id",
    "date_received",
    "stage_id",
    "step",
    "sla_deadline",
    "partner_id",
    "company_id",
]


class ComplaintPortal(ComplaintFormMixin, CustomerPortal):
    # ------------------------------------------------------------------
    # Home and list
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "complaint_count" in counters:
            Complaint = request.env["complaint.complaint"]
            values["complaint_count"] = (
                Complaint.search_count(self._complaint_portal_domain())
                if Complaint.has_access("read")
                else 0
            )
        return values

    def _complaint_portal_domain(self):
        """The customer's own complaints: those of their commercial entity,
        less the anonymous complaints of colleagues (record rules apply on
        top)."""
        return request.env["complaint.complaint"]._portal_own_domain()

    def _complaint_get_searchbar_sortings(self):
        return {
            "date": {
                "label": request.env._("Newest"),
                "order": "date_received desc, id desc",
            },
            "reference": {
                "label": request.env._("Reference"),
                "order": "reference desc, id desc",
            },
            "name": {"label": request.env._("Subject"), "order": "name, id desc"},
            "stage": {
                "label": request.env._("Status"),
                "order": "stage_id, date_received desc",
            },
        }

    def _complaint_get_searchbar_filters(self):
        return OrderedDict(
            [
                ("all", {"label": request.env._("All"), "domain": Domain.TRUE}),
                (
                    "open",
                    {
                        "label": request.env._("Open"),
                        "domain": Domain("step", "!=", STEP_CLOSED),
                    },
                ),
                (
                    "closed",
                    {
                        "label": request.env._("Closed"),
                        "domain": Domain("step", "=", STEP_CLOSED),
                    },
                ),
            ]
        )

    def _complaint_get_searchbar_inputs(self):
        return OrderedDict(
            [
                ("all", {"input": "all", "label": request.env._("Search in all")}),
                (
                    "reference",
                    {
                        "input": "reference",
                        "label": request.env._("Search in reference"),
                    },
                ),
                (
                    "name",
                    {"input": "name", "label": request.env._("Search in subject")},
                ),
            ]
        )

    def _complaint_get_search_domain(self, search_in, search):
        domains = []
        if search_in in ("reference", "all"):
            domains.append(Domain("reference", "ilike", search))
        if search_in in ("name", "all"):
            domains.append(Domain("name", "ilike", search))
        return Domain.OR(domains) if domains else Domain.TRUE

    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_complaints(
        self, page=1, sortby=None, filterby=None, search=None, search_in="all", **kw
    ):
        Complaint = request.env["complaint.complaint"]
        if not Complaint.has_access("read"):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        sortings = self._complaint_get_searchbar_sortings()
        filters = self._complaint_get_searchbar_filters()
        inputs = self._complaint_get_searchbar_inputs()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        search_in = search_in if search_in in inputs else "all"
        domain = self._complaint_portal_domain() & filters[filterby]["domain"]
        # A NUL character in the search term made PostgreSQL fail (500).
        search = (search or "").replace("\x00", "")
        if search:
            domain &= self._complaint_get_search_domain(search_in, search)
        complaint_count = Complaint.search_count(domain)
        pager = portal_pager(
            url="/my/complaints",
            url_args={
                "sortby": sortby,
                "filterby": filterby,
                "search_in": search_in,
                "search": search,
            },
            total=complaint_count,
            page=page,
            step=self._items_per_page,
        )
        # The page's rows with only the columns the table shows, in the
        # query that finds them (a plain search then read every column of
        # the 80 rows: descriptions, texts kept for similarity, ...).
        complaints = Complaint.search_fetch(
            domain,
            PORTAL_LIST_FIELDS,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_complaints_history"] = complaints.ids[:100]
        values.update(
            {
                "complaints": complaints,
                "page_name": "complaint",
                "default_url": "/my/complaints",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "searchbar_inputs": inputs,
                "search_in": search_in,
                "search": search,
                "html_data": complaint_html_data(),
            }
        )
        return request.render("complaint_management.portal_my_complaints", values)

    # ------------------------------------------------------------------
    # Detail
    # ------------------------------------------------------------------
    def _complaint_deny(self, access_token=None):
        """Answer for a complaint the visitor may not see: visitors who are not
        logged in and have no token are sent to the login page (whatever the
        id), everyone else gets a 404."""
        if request.env.user._is_public() and not access_token:
            return request.redirect(
                "/web/login?" + urlencode({"redirect": request.httprequest.full_path})
            )
        raise request.not_found()

    def _complaint_timeline(self, complaint):
        date_by_step = complaint._step_dates()
        labels = dict(complaint._fields["step"]._description_selection(request.env))
        current = STEP_ORDER.get(complaint.step, 0)
        timeline = []
        for step, _label in STEPS:
            order = STEP_ORDER[step]
            timeline.append(
                {
                    "step": step,
                    "label": labels.get(step, step),
                    "date": date_by_step.get(step) if order <= current else False,
                    "state": "done"
                    if order < current or complaint.step == STEP_CLOSED
                    else ("current" if order == current else "todo"),
                }
            )
        return timeline

    def _complaint_can_rate(self, complaint_sudo):
        """The rating form is offered, and a rating taken, once a complaint
        is decided, for a known complainant who has not rated it yet."""
        return bool(
            complaint_sudo.step in DECISION_STEPS
            and complaint_sudo.partner_id
            and not complaint_sudo.rating_ids.filtered("consumed")
        )

    def _complaint_sla_lines(self, complaint):
        """Target dates of the complaint's SLA rules."""
        labels = dict(complaint._fields["step"]._description_selection(request.env))
        lines = []
        for status in complaint.sudo().sla_status_ids.sorted("deadline"):
            lines.append(
                {
                    "label": labels.get(status.target_step, status.target_step),
                    "deadline": status.deadline,
                    "reached_date": status.reached_date,
                    "status": status.status,
                }
            )
        return lines

    def _complaint_decision_report(self):
        return request.env.ref(DECISION_REPORT, raise_if_not_found=False)

    def _complaint_get_page_view_values(self, complaint, access_token, **kwargs):
        messages = {
            "accepted": request.env._("Thank you: you accepted our decision."),
            "rejected": request.env._(
                "You rejected our decision. We have recorded your answer."
            ),
            "appealed": request.env._(
                "Your appeal was registered. A different person will review your "
                "complaint."
            ),
            "rated": request.env._("Thank you for your feedback."),
        }
        errors = {
            "no_decision": request.env._(
                "There is no decision waiting for your answer."
            ),
            "appeal_reason": request.env._("Please give the reason for your appeal."),
            "appeal_refused": request.env._(
                "This complaint cannot be appealed any more."
            ),
            "rating": request.env._("Your rating could not be recorded."),
        }
        can_answer = (
            complaint.step == "decided" and complaint.customer_reaction == "none"
        )
        rated = complaint.rating_ids.filtered("consumed")[:1]
        values = {
            "complaint": complaint,
            "page_name": "complaint",
            "timeline": self._complaint_timeline(complaint),
            "sla_lines": self._complaint_sla_lines(complaint),
            "can_answer": can_answer,
            "can_appeal": complaint._can_appeal(),
            "can_rate": self._complaint_can_rate(complaint),
            "rating": rated,
            "rating_label": rated
            and {
                RATING_HAPPY_VALUE: request.env._("Satisfied"),
                RATING_NEUTRAL_VALUE: request.env._("Neutral"),
                RATING_UNHAPPY_VALUE: request.env._("Not satisfied"),
            }.get(int(rated.rating), ""),
            "rating_values": [
                (RATING_HAPPY_VALUE, request.env._("Satisfied"), "rating_5"),
                (RATING_NEUTRAL_VALUE, request.env._("Neutral"), "rating_3"),
                (RATING_UNHAPPY_VALUE, request.env._("Not satisfied"), "rating_1"),
            ],
            "decision_report": complaint.step in DECISION_STEPS
            and complaint.decision
            and self._complaint_decision_report(),
            "banner": messages.get(kwargs.get("message")),
            "banner_error": errors.get(kwargs.get("error")),
            "token_query": f"?access_token={access_token}" if access_token else "",
        }
        # The pager links the previous and next complaints of the list with
        # their tokens: read only those (the portal's pager would read every
        # column of each, one query apiece).
        history = request.session.get("my_complaints_history") or []
        if complaint.id in history:
            index = history.index(complaint.id)
            complaint.browse(history[max(index - 1, 0) : index + 2]).fetch(
                ["access_token"]
            )
        return self._get_page_view_values(
            complaint, access_token, values, "my_complaints_history", False, **kwargs
        )

    @http.route(
        "/my/complaints/<int:complaint_id>",
        type="http",
        auth="public",
        website=True,
        readonly=True,
    )
    def portal_my_complaint(self, complaint_id, access_token=None, **kw):
        complaint_sudo = self._complaint_check_access(complaint_id, access_token)
        if complaint_sudo is None:
            return self._complaint_deny(access_token)
        values = self._complaint_get_page_view_values(
            complaint_sudo, access_token, **kw
        )
        values.update(
            self._prepare_portal_layout_values(),
            page_name="complaint",
            html_data=complaint_html_data(),
        )
        return request.render("complaint_management.portal_my_complaint", values)

    @http.route(
        "/my/complaints/<int:complaint_id>/decision",
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_complaint_decision(
        self, complaint_id, access_token=None, download=None, **kw
    ):
        complaint_sudo = self._complaint_check_access(complaint_id, access_token)
        if complaint_sudo is None:
            return self._complaint_deny(access_token)
        if not (
            self._complaint_decision_report()
            and complaint_sudo.decision
            and complaint_sudo.step in DECISION_STEPS
        ):
            raise request.not_found()
        return self._show_report(
            model=complaint_sudo,
            report_type="pdf",
            report_ref=DECISION_REPORT,
            download=download in ("1", "true", "True"),
        )

    # ------------------------------------------------------------------
    # Actions on the detail page (POST with CSRF token)
    # ------------------------------------------------------------------
    def _complaint_for_action(self, complaint_id, access_token):
        """The complaint to act on, as whom the action is recorded; 404 when
        the visitor may not see it."""
        complaint_sudo = self._complaint_check_access(complaint_id, access_token)
        if complaint_sudo is None:
            raise request.not_found()
        if complaint_sudo.is_anonymous:
            # Act as no one: the chatter and write_uid must not name them.
            return complaint_sudo.with_user(SUPERUSER_ID).sudo()
        if not request.env.user._is_public():
            # Act as the customer, so that the chatter names them.
            return complaint_sudo.with_user(request.env.user).sudo()
        return complaint_sudo

    def _complaint_redirect(self, complaint, access_token, **params):
        if access_token:
            params["access_token"] = access_token
        query = f"?{urlencode(params)}" if params else ""
        return request.redirect(f"{complaint.access_url}{query}#complaint_decision")

    @http.route(
        "/my/complaints/<int:complaint_id>/<any(accept, reject):reaction>",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_complaint_react(
        self, complaint_id, reaction, access_token=None, note=None, **kw
    ):
        """The customer accepts or rejects the decision (/accept, /reject)."""
        complaint = self._complaint_for_action(complaint_id, access_token)
        note = (note or "").strip() or None
        try:
            if reaction == "accept":
                complaint.action_customer_accept(note)
            else:
                complaint.action_customer_reject(note)
        except UserError:
            return self._complaint_redirect(
                complaint, access_token, error="no_decision"
            )
        return self._complaint_redirect(
            complaint,
            access_token,
            message="accepted" if reaction == "accept" else "rejected",
        )

    @http.route(
        "/my/complaints/<int:complaint_id>/appeal",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_complaint_appeal(
        self, complaint_id, access_token=None, reason=None, **kw
    ):
        complaint = self._complaint_for_action(complaint_id, access_token)
        reason = (reason or "").strip()
        if not reason:
            return self._complaint_redirect(
                complaint, access_token, error="appeal_reason"
            )
        if not complaint._can_appeal():
            return self._complaint_redirect(
                complaint, access_token, error="appeal_refused"
            )
        try:
            with request.env.cr.savepoint():
                complaint.action_appeal(reason)
        except UserError:
            return self._complaint_redirect(
                complaint, access_token, error="appeal_refused"
            )
        return self._complaint_redirect(complaint, access_token, message="appealed")

    @http.route(
        "/my/complaints/<int:complaint_id>/rate",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_complaint_rate(self, complaint_id, access_token=None, rate=None, **kw):
        """Open rating's own page (/rate/<token>/<rate>) for this complaint."""
        complaint_sudo = self._complaint_check_access(complaint_id, access_token)
        if complaint_sudo is None:
            raise request.not_found()
        try:
            rate = int(rate)
        except (TypeError, ValueError):
            rate = 0
        if rate not in (
            RATING_HAPPY_VALUE,
            RATING_NEUTRAL_VALUE,
            RATING_UNHAPPY_VALUE,
        ) or not self._complaint_can_rate(complaint_sudo):
            return self._complaint_redirect(
                complaint_sudo, access_token, error="rating"
            )
        token = complaint_sudo._rating_get_access_token()
        return request.redirect(f"/rate/{token}/{rate}")

    # ------------------------------------------------------------------
    # Logged-in complaint form
    # ------------------------------------------------------------------
    @http.route(
        "/my/complaints/new",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_complaint_new(self, **post):
        if request.httprequest.method != "POST":
            return self._render_complaint_form(public=False)
        return self._submit_complaint_form(
            post,
            public=False,
            channel=request.env.ref("complaint_management.complaint_channel_portal"),
            partner=request.env.user.partner_id,
        )
