"""Public complaint form, confirmation page and complaints-handling policy.

The portal (logged-in) routes live in ``portal.py``. Both controllers extend
:class:`CustomerPortal`, so that other addons' overrides of its hooks
(``_prepare_portal_layout_values``, ``_document_check_access``...) apply to
them too, and both forms go through the one submission pipeline of
:class:`ComplaintFormMixin` (:meth:`~ComplaintFormMixin._submit_complaint_form`).
"""

import logging
import os

from odoo import SUPERUSER_ID, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools import plaintext2html, single_email_re
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.complaint_stage import STEPS
from ..models.letter_flags import CTX_CREATION_NOTE

_logger = logging.getLogger(__name__)

# Content type (checked on the bytes, not only on the name) -> extensions.
ALLOWED_UPLOAD_TYPES = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "text/plain": (".txt",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        ".docx",
    ),
}
# Built once from ALLOWED_UPLOAD_TYPES: the file input's ``accept`` attribute,
# and the list shown to people (help text and error message; JPEG once).
UPLOAD_ACCEPT = ",".join(ext for exts in ALLOWED_UPLOAD_TYPES.values() for ext in exts)
UPLOAD_TYPES_LABEL = ", ".join(
    ext.lstrip(".").upper()
    for exts in ALLOWED_UPLOAD_TYPES.values()
    for ext in exts
    if ext != ".jpeg"
)
MAX_UPLOAD_FILES = 10
# Public form rate limit: attempts per IP address and window (minutes),
# overridable with system parameters.
RATE_LIMIT_PARAM = "complaint_management.public_form_rate_limit"
RATE_WINDOW_PARAM = "complaint_management.public_form_rate_window"
RATE_LIMIT_DEFAULT = 10
RATE_WINDOW_DEFAULT = 60
# Name of the honeypot input: hidden from people, tempting for robots.
HONEYPOT_FIELD = "website_url"
MAX_SUBJECT_LENGTH = 200
MAX_TEXT_LENGTH = 20000


def complaint_html_data():
    """``lang`` and ``dir`` of the <html> element for the current language
    (the portal layout leaves them out unless the website addon is installed)."""
    code = request.env.lang or "en_US"
    lang = request.env["res.lang"]._get_data(code=code)
    return {"lang": code.replace("_", "-"), "dir": lang.direction or "ltr"}


class ComplaintFormMixin:
    """Rendering, validation and creation shared by both complaint forms, and
    the access check of both controllers; mixed into :class:`CustomerPortal`
    subclasses.

    Override hooks: :meth:`_complaint_form_fields`,
    :meth:`_complaint_form_refusal`, :meth:`_validate_complaint_form`,
    :meth:`_prepare_complaint_vals`, :meth:`_complaint_post_create`.
    """

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    def _complaint_check_access(self, complaint_id, access_token=None):
        """The complaint (sudo) when the current user may read it or the token
        is valid; ``None`` otherwise, without telling which."""
        try:
            return self._document_check_access(
                "complaint.complaint", complaint_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return None

    # ------------------------------------------------------------------
    # Rendering
    # ------------------------------------------------------------------
    def _complaint_company(self):
        return request.env.company

    def _complaint_categories(self):
        company = self._complaint_company()
        return request.env["complaint.category"].search(
            [("company_id", "in", [False, company.id])]
        )

    def _complaint_form_render_values(self, public, form=None, errors=None):
        company = self._complaint_company()
        errors = errors or {}
        return {
            "page_name": "complaint_new",
            "public_form": public,
            "form": form or {},
            "errors": errors,
            "error_summary": list(errors.items()),
            "categories": self._complaint_categories(),
            "company": company,
            "allow_anonymous": company.complaint_allow_anonymous,
            "max_upload_mb": company.complaint_max_upload_mb,
            "max_upload_files": MAX_UPLOAD_FILES,
            "accept_types": UPLOAD_ACCEPT,
            "accept_label": UPLOAD_TYPES_LABEL,
            "honeypot_field": HONEYPOT_FIELD,
            "form_action": "/complaints/new" if public else "/my/complaints/new",
            "html_data": complaint_html_data(),
        }

    def _render_complaint_form(self, public, form=None, errors=None, status=200):
        values = self._complaint_form_render_values(public, form=form, errors=errors)
        if not public:
            values = dict(self._prepare_portal_layout_values(), **values)
        return request.render(
            "complaint_management.portal_complaint_form", values, status=status
        )

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------
    def _complaint_form_fields(self, public):
        """Names of the text inputs read from the request."""
        fields_ = ["subject", "category_id", "description", "remedy_requested"]
        if public:
            fields_ += ["contact_name", "contact_email", "contact_phone"]
        return fields_

    def _read_complaint_form(self, post, public):
        # NUL characters cannot be stored by PostgreSQL (they made a 500).
        form = {
            name: (post.get(name) or "").replace("\x00", "").strip()
            for name in self._complaint_form_fields(public)
        }
        form["is_anonymous"] = bool(post.get("is_anonymous"))
        form["consent"] = bool(post.get("consent"))
        return form

    def _validate_complaint_form(self, form, files, public):
        """Return ``{field: message}``; empty when the form is valid."""
        company = self._complaint_company()
        errors = {}
        self._check_complaint_text(
            errors,
            form,
            "subject",
            MAX_SUBJECT_LENGTH,
            missing=request.env._("Please give your complaint a subject."),
            too_long=request.env._(
                "The subject is too long (at most %(count)s characters).",
                count=MAX_SUBJECT_LENGTH,
            ),
        )
        categories = self._complaint_categories()
        if form["category_id"]:
            if (
                not form["category_id"].isdigit()
                or int(form["category_id"]) not in categories.ids
            ):
                errors["category_id"] = request.env._(
                    "Please choose a category from the list."
                )
        elif categories:
            errors["category_id"] = request.env._(
                "Please choose what your complaint is about."
            )
        self._check_complaint_text(
            errors,
            form,
            "description",
            MAX_TEXT_LENGTH,
            missing=request.env._("Please describe what happened."),
            too_long=request.env._(
                "The description is too long (at most %(count)s characters).",
                count=MAX_TEXT_LENGTH,
            ),
        )
        self._check_complaint_text(
            errors,
            form,
            "remedy_requested",
            MAX_TEXT_LENGTH,
            too_long=request.env._(
                "This text is too long (at most %(count)s characters).",
                count=MAX_TEXT_LENGTH,
            ),
        )
        anonymous = form["is_anonymous"] and company.complaint_allow_anonymous
        if form["is_anonymous"] and not company.complaint_allow_anonymous:
            errors["is_anonymous"] = request.env._(
                "Anonymous complaints are not accepted."
            )
        if public:
            if not form["contact_name"] and not anonymous:
                errors["contact_name"] = request.env._("Please enter your name.")
            if form["contact_email"]:
                if not single_email_re.match(form["contact_email"]):
                    errors["contact_email"] = request.env._(
                        "Please enter a valid e-mail address, such as name@example.com."
                    )
            elif not anonymous:
                errors["contact_email"] = request.env._(
                    "Please enter your e-mail address: we send you the reference "
                    "and our answers there."
                )
            if len(form["contact_phone"]) > 64:
                errors["contact_phone"] = request.env._(
                    "Please enter a valid phone number."
                )
        file_error = self._validate_complaint_files(files)
        if file_error:
            errors["attachments"] = file_error
        if not form["consent"]:
            errors["consent"] = request.env._(
                "Please confirm that you have read the privacy notice."
            )
        return errors

    @staticmethod
    def _check_complaint_text(errors, form, field, max_length, too_long, missing=None):
        """Record in ``errors`` the problem of a text input, if any: empty
        while required (``missing``), or longer than ``max_length``."""
        if missing and not form[field]:
            errors[field] = missing
        elif len(form[field]) > max_length:
            errors[field] = too_long

    def _read_complaint_files(self):
        return [
            upload
            for upload in request.httprequest.files.getlist("attachments")
            if upload and upload.filename
        ]

    def _validate_complaint_files(self, files):
        """Check count, size and the real content type of each upload.

        Reads the files into ``upload.complaint_data`` for the creation.
        """
        max_mb = self._complaint_company().complaint_max_upload_mb or 10
        if len(files) > MAX_UPLOAD_FILES:
            return request.env._(
                "Please attach at most %(count)s files.", count=MAX_UPLOAD_FILES
            )
        for upload in files:
            data = upload.read(max_mb * 1024 * 1024 + 1)
            upload.complaint_data = data
            name = os.path.basename(upload.filename or "")
            if len(data) > max_mb * 1024 * 1024:
                return request.env._(
                    "The file %(name)s is larger than %(size)s MB.",
                    name=name,
                    size=max_mb,
                )
            if not data:
                return request.env._("The file %(name)s is empty.", name=name)
            extension = os.path.splitext(name)[1].lower()
            mimetype = guess_mimetype(data, default="application/octet-stream")
            if extension not in ALLOWED_UPLOAD_TYPES.get(mimetype, ()):
                return request.env._(
                    "The file %(name)s is not an accepted type. Accepted: %(types)s.",
                    name=name,
                    types=UPLOAD_TYPES_LABEL,
                )
        return False

    def _complaint_rate_limit_ok(self):
        """Register this attempt; False when its IP address sent too many."""
        params = request.env["ir.config_parameter"].sudo()
        try:
            limit = int(params.get_param(RATE_LIMIT_PARAM, RATE_LIMIT_DEFAULT))
            window = int(params.get_param(RATE_WINDOW_PARAM, RATE_WINDOW_DEFAULT))
        except ValueError:
            limit, window = RATE_LIMIT_DEFAULT, RATE_WINDOW_DEFAULT
        return request.env["complaint.submission.log"]._register_attempt(
            request.httprequest.remote_addr, limit, window
        )

    def _complaint_form_refusal(self, post, public):
        """``(message, HTTP status)`` when the submission is refused before its
        validation, else None: the public form's rate limit and honeypot."""
        if not public:
            return None
        if not self._complaint_rate_limit_ok():
            return (
                request.env._(
                    "Too many complaints were sent from your network in a short "
                    "time. Please wait an hour and try again, or write to us by "
                    "e-mail."
                ),
                429,
            )
        if post.get(HONEYPOT_FIELD):
            _logger.info("Public complaint form: honeypot filled, submission refused")
            return (
                request.env._(
                    "Your complaint could not be accepted. Please leave the "
                    "hidden field empty, or write to us by e-mail."
                ),
                400,
            )
        return None

    # ------------------------------------------------------------------
    # Submission
    # ------------------------------------------------------------------
    def _submit_complaint_form(self, post, public, channel, partner=None):
        """The one submission pipeline of both forms: refusal checks (rate
        limit, honeypot), validation with the upload checks, creation with the
        files and the submission note, then the confirmation page (with the
        tracking token on the public form). The form comes back with its
        errors when anything fails.

        :param public: the public form (contact fields, rate limit, honeypot)
            rather than the logged-in one
        :param channel: ``complaint.channel`` of the new complaint
        :param partner: the complainant, when known (logged in)
        """
        form = self._read_complaint_form(post, public=public)
        refusal = self._complaint_form_refusal(post, public)
        if refusal:
            message, status = refusal
            return self._render_complaint_form(
                public=public, form=form, errors={"form": message}, status=status
            )
        files = self._read_complaint_files()
        errors = self._validate_complaint_form(form, files, public=public)
        if errors:
            return self._render_complaint_form(
                public=public, form=form, errors=errors, status=400
            )
        try:
            with request.env.cr.savepoint():
                complaint = self._create_complaint(
                    form, files, channel, partner=partner
                )
        except UserError as error:
            return self._render_complaint_form(
                public=public, form=form, errors={"form": str(error)}, status=400
            )
        url = f"/complaints/submitted/{complaint.id}"
        if public:
            url += f"?access_token={complaint.access_token}"
        return request.redirect(url)

    # ------------------------------------------------------------------
    # Creation
    # ------------------------------------------------------------------
    def _prepare_complaint_vals(self, form, channel, partner=None):
        """Values of the new complaint; override to add fields."""
        company = self._complaint_company()
        vals = {
            "name": form["subject"],
            "description": plaintext2html(form["description"]),
            "remedy_requested": form["remedy_requested"] or False,
            "category_id": int(form["category_id"]) if form["category_id"] else False,
            "channel_id": channel.id,
            "company_id": company.id,
            "is_anonymous": bool(
                form["is_anonymous"] and company.complaint_allow_anonymous
            ),
        }
        if partner:
            vals["partner_id"] = partner.id
        else:
            vals.update(
                {
                    "partner_name": form.get("contact_name") or False,
                    "partner_email": form.get("contact_email") or False,
                    "partner_phone": form.get("contact_phone") or False,
                }
            )
        return vals

    def _create_complaint(self, form, files, channel, partner=None):
        vals = self._prepare_complaint_vals(form, channel, partner=partner)
        # The acknowledgement letter waits in the outbox for the cron worker
        # (as every letter does): rendering it here would hold the HTTP worker
        # (and, with the reports addon, need a second worker for wkhtmltopdf).
        Complaint = request.env["complaint.complaint"]
        if vals.get("is_anonymous"):
            # created, and its files uploaded, by no one: create_uid and the
            # attachments' authors would name the complainant to the staff
            Complaint = Complaint.with_user(SUPERUSER_ID)
        # how it came in, as the creation's line in the log (no note after)
        note = request.env._(
            "Submitted on the %(channel)s; the complainant accepted the "
            "privacy notice.",
            channel=channel.sudo().name,
        )
        complaint = (
            Complaint.sudo().with_context(**{CTX_CREATION_NOTE: note}).create(vals)
        )
        self._complaint_post_create(complaint, form, files)
        return complaint

    def _complaint_post_create(self, complaint, form, files):
        """Attach the files to a first message and make sure the complaint
        has an access token for its tracking link (the consent is recorded
        in the creation's line of the log, see ``_create_complaint``)."""
        author = complaint.partner_id if not complaint.is_anonymous else False
        if files:
            complaint.message_post(
                body=request.env._("Documents sent with the complaint."),
                attachments=[
                    (os.path.basename(upload.filename), upload.complaint_data)
                    for upload in files
                ],
                author_id=author.id if author else None,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        complaint._portal_ensure_token()
        return complaint


class ComplaintPublic(ComplaintFormMixin, CustomerPortal):
    """Routes for everyone: public form, confirmation and policy page.

    A :class:`CustomerPortal` extension like the portal's, not a controller of
    its own: Odoo merges every extension into one controller, so its routes
    are registered once and other addons' overrides of the portal's hooks
    apply here too.
    """

    @http.route(
        "/complaints/new",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        sitemap=True,
    )
    def complaint_public_form(self, **post):
        company = self._complaint_company()
        if not company.complaint_public_form:
            raise request.not_found()
        # A logged-in customer files on the portal: channel and partner known.
        if not request.env.user._is_public() and request.env.user.has_group(
            "base.group_portal"
        ):
            if request.httprequest.method == "GET":
                return request.redirect("/my/complaints/new")
        if request.httprequest.method != "POST":
            return self._render_complaint_form(public=True)
        return self._submit_complaint_form(
            post,
            public=True,
            channel=request.env.ref("complaint_management.complaint_channel_web"),
        )

    @http.route(
        "/complaints/submitted/<int:complaint_id>",
        type="http",
        auth="public",
        website=True,
        # Not readonly: it is shown right after the submission and must not be
        # served by a replica that has not received the new complaint yet.
        sitemap=False,
    )
    def complaint_submitted(self, complaint_id, access_token=None, **kw):
        complaint_sudo = self._complaint_check_access(complaint_id, access_token)
        if complaint_sudo is None:
            raise request.not_found()
        values = {
            "complaint": complaint_sudo,
            "access_token": access_token,
            "tracking_url": complaint_sudo.get_portal_url()
            if access_token
            else complaint_sudo.access_url,
            "page_name": "complaint_submitted",
            "html_data": complaint_html_data(),
        }
        return request.render("complaint_management.portal_complaint_submitted", values)

    @http.route(
        "/complaints/policy",
        type="http",
        auth="public",
        website=True,
        readonly=True,
        sitemap=True,
    )
    def complaint_policy(self, **kw):
        return request.render(
            "complaint_management.complaint_policy_page",
            self._prepare_complaint_policy_values(),
        )

    def _prepare_complaint_policy_values(self):
        company = self._complaint_company()
        stages = (
            request.env["complaint.stage"].sudo().search([("pause_sla", "=", False)])
        )
        step_labels = dict(
            request.env["complaint.stage"]
            ._fields["step"]
            ._description_selection(request.env)
        )
        steps = []
        for step, _label in STEPS:
            step_stages = stages.filtered(lambda s, st=step: s.step == st)
            if step_stages:
                steps.append(
                    {
                        "step": step,
                        "label": step_labels.get(step, step),
                        "description": step_stages[0].description,
                    }
                )
        channels = request.env["complaint.channel"].sudo().search([])
        rules = (
            request.env["complaint.sla"]
            .sudo()
            .search([("company_id", "in", [False, company.id])])
        )
        targets = [
            {
                "name": rule.name,
                "step": step_labels.get(rule.target_step, rule.target_step),
                "hours": rule.time_hours,
                "working": bool(rule.calendar_id),
            }
            for rule in rules
        ]
        # the legal deadlines of this company's categories only
        regulatory_profiles = (
            company.sudo().complaint_regulatory_profile_id
            | self._complaint_categories().sudo().regulatory_profile_id
        )
        return {
            "company": company,
            "steps": steps,
            "channels": channels,
            "sla_targets": targets,
            "regulatory_profiles": regulatory_profiles,
            "public_form": company.complaint_public_form,
            "page_name": "complaint_policy",
            "html_data": complaint_html_data(),
        }
