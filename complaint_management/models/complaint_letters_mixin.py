import logging

from markupsafe import escape

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, clean_context, split_every
from odoo.tools.mail import (
    email_normalize,
    email_split_and_format_normalize,
    formataddr,
)

from .letter_flags import CTX_LETTER_BATCH, PDF_CACHE_KEY

_logger = logging.getLogger(__name__)

# The notification parameters the composer gives message_post for a letter
# that the batch posting (``_post_letters``) handles; a letter with any other
# is posted by message_post, one by one.
LETTER_NOTIFY_KWARGS = {
    "force_email_lang",
    "force_send",
    "mail_auto_delete",
    "model_description",
    "notify_author",
    "notify_author_mention",
    "scheduled_date",
}
# Ancestors a notification mail refers to (``References``), as
# ``mail.thread._notify_by_email_get_base_mail_values``: among the last 32.
REFERENCES_LOOKUP = 32
# The parent of a posted message, as ``mail.thread._message_compute_parent_id``
# for a flat thread: among the last 200.
PARENT_LOOKUP = 200
OUTGOING_TYPES = ("comment", "auto_comment", "email", "email_outgoing")


class ComplaintLetters(models.AbstractModel):
    """The letters of a complaint to its complainant: queued in the outbox
    (``complaint.letter``, sent by its cron worker), rendered together and
    sent. Mixed into ``complaint.complaint``."""

    _name = "complaint.letters.mixin"
    _description = "Complaint letters to the complainant"

    acknowledgement_pending = fields.Boolean(
        compute="_compute_acknowledgement_pending",
        help="The acknowledgement letter waits in the outbox of letters.",
    )

    def _send_acknowledgement(self):
        """Acknowledge receipt once, with reference and target dates (§7.4).

        The date is the receipt date the complainant sees; the letter (and
        its PDF, with the reports addon) waits in the outbox for the cron
        worker, triggered at once."""
        todo = self.filtered(lambda c: not c.date_acknowledged)
        if not todo:
            return
        todo.write({"date_acknowledged": fields.Datetime.now()})
        # (the cached xmlid, without env.ref's query on each complaint created)
        template = self.env["mail.template"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id(
                "complaint_management.mail_template_complaint_acknowledgement",
                raise_if_not_found=False,
            )
        )
        todo._queue_letter(template)

    def _queue_letter(self, template):
        """Queue the letter ``template`` for these complaints: it is rendered
        and sent by the cron worker, never in the calling transaction."""
        if template:
            self.env["complaint.letter"]._enqueue(self, template)

    def _compute_acknowledgement_pending(self):
        template = self.env.ref(
            "complaint_management.mail_template_complaint_acknowledgement",
            raise_if_not_found=False,
        )
        waiting = set()
        if template and self.ids:
            waiting = set(
                self.env["complaint.letter"]
                .sudo()
                .search(
                    [
                        ("complaint_id", "in", self.ids),
                        ("template_id", "=", template.id),
                    ]
                )
                .complaint_id.ids
            )
        for complaint in self:
            complaint.acknowledgement_pending = complaint.id in waiting

    def _prerender_letters(self, template):
        """Render the PDF letters of ``template`` for these complaints in one
        go per report and company (the reports addon makes it one wkhtmltopdf
        run per language); the mails then take each complaint's own PDF. A
        letter that could not be rendered with the others is rendered alone
        by its mail."""
        cache = self.env.cr.cache.setdefault(PDF_CACHE_KEY, {})
        Report = (
            self.env["ir.actions.report"]
            .sudo()
            .with_context(**{CTX_LETTER_BATCH: True})
        )
        for report in template.sudo().report_template_ids:
            if report.report_type != "qweb-pdf":
                continue
            for complaints in self.grouped("company_id").values():
                if len(complaints) < 2:
                    continue
                try:
                    streams, fmt = Report.with_company(
                        complaints.company_id
                    )._pre_render_qweb_pdf(
                        # by name: a record would bring its own context
                        report.report_name,
                        res_ids=complaints.ids,
                    )
                except UserError:
                    _logger.warning(
                        "Letters %s rendered one by one", report.name, exc_info=True
                    )
                    continue
                if fmt != "pdf":
                    # tests render HTML unless forced: nothing to share
                    return
                for res_id in complaints.ids:
                    stream = (streams.get(res_id) or {}).get("stream")
                    if stream:
                        cache[(report.id, res_id)] = stream.getvalue()

    def _send_complainant_mails(self, template):
        """Send the letter ``template`` to the complainants of these
        complaints and return the outgoing mails, not sent yet (the caller
        sends them together, after its commit). One composer renders the
        letters of the named complainants together (subject, body,
        recipients; the PDFs come from ``_prerender_letters``) and posts one
        comment per complaint; anonymous complainants leave no trace of the
        recipient in the chatter."""
        complaints = self.filtered(lambda c: c.partner_id or c.partner_email)
        if not complaints:
            return self.env["mail.mail"].sudo()
        # the mails are sent by the caller, in one go
        complaints = complaints.with_context(mail_notify_force_send=False)
        anonymous = complaints.filtered("is_anonymous")
        # Not linked to the record: the letter names the complainant.
        mail_ids = (
            template.sudo()
            .send_mail_batch(
                anonymous.ids, email_values={"model": False, "res_id": False}
            )
            .ids
            if anonymous
            else []
        )
        for complaint in anonymous:
            complaint.message_post(
                body=self.env._(
                    "%(letter)s sent to the complainant.", letter=template.name
                ),
                subtype_xmlid="mail.mt_note",
            )
        if anonymous:
            # an internal note: message_post does not count it as news
            anonymous.date_last_customer_update = fields.Datetime.now()
        named = complaints - anonymous
        if named:
            # the composer renders subjects, bodies, recipients and PDFs of
            # all the letters in one pass (its comment mode, as a batch)
            composer = (
                self.env["mail.compose.message"]
                .with_context(
                    mail_notify_force_send=False,
                    default_composition_mode="comment",
                    default_model=self._name,
                    default_res_ids=named.ids,
                    default_template_id=template.id,
                )
                .create(
                    {
                        "message_type": "comment",
                        "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id(
                            "mail.mt_comment"
                        ),
                    }
                )
            )
            post_values_all = composer._manage_mail_values(
                composer._prepare_mail_values(named.ids)
            )
            mail_ids += named._post_letters(post_values_all).ids
        return self.env["mail.mail"].sudo().browse(mail_ids)

    # ------------------------------------------------------------------
    # Posting the letters of a batch together
    # ------------------------------------------------------------------
    def _post_letters(self, post_values_all):
        """Post the letters ``{complaint id: message_post values}`` rendered
        by the composer and return their outgoing mails, not sent (the
        caller sends them after its commit).

        Each complaint gets what ``message_post`` would give it (a comment
        with its attachments, its parent, the notification of its
        complainant and followers: mail with its ``mail.notification``,
        inbox, web push; the stamp of ``date_last_customer_update``), built
        with Odoo's own steps but for all the letters at once: one query for
        the parents, one for the recipients, one for the references, the
        attachments, messages, mails and notifications created together. A
        letter asking for what this does not cover (a scheduled post,
        attachments from the composer, images in its body) makes the batch
        fall back to ``message_post``, one letter at a time."""
        records = self.browse(list(post_values_all))
        if not records._letters_batchable(post_values_all):
            return records._post_letters_one_by_one(post_values_all)
        records._check_post_access()
        # as message_post: the language of the user when none is given
        records = records._fallback_lang()
        Message = self.env["mail.message"]
        authors = {}
        parents = records._letters_parent_ids()
        msg_values_list, notify_kwargs_list, attachment_values = [], [], []
        for record in records:
            values = dict(post_values_all[record.id])
            attachments = values.pop("attachments", None) or []
            values.pop("attachment_ids", None)
            notify_kwargs = {
                key: values.pop(key)
                for key in list(values)
                if key not in Message._fields
            }
            key = (values.get("author_id"), values.get("email_from"))
            if key not in authors:
                authors[key] = records._message_compute_author(*key)
            author_id, email_from = authors[key]
            msg_values = {
                "email_add_signature": True,
                **values,
                "author_id": author_id,
                "author_guest_id": False,
                "email_from": email_from,
                "model": self._name,
                "res_id": record.id,
                "body": escape(values.get("body") or ""),
                "message_type": values.get("message_type") or "notification",
                "parent_id": parents.get(record.id, False),
                "subject": values.get("subject") or False,
                "subtype_id": values.get("subtype_id")
                or self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                "partner_ids": list(values.get("partner_ids") or []),
                "incoming_email_to": False,
                "incoming_email_cc": False,
                "outgoing_email_to": False,
            }
            msg_values_list.append(msg_values)
            notify_kwargs_list.append(notify_kwargs)
            attachment_values.append(
                [
                    {
                        "name": name,
                        # (message_post gives ``datas``, encoded: the same
                        # attachment)
                        "raw": content,
                        "type": "binary",
                        "description": name,
                        "res_model": self._name,
                        "res_id": record.id,
                    }
                    for name, content in attachments
                ]
            )
        self._letters_reply_to(msg_values_list)
        # the attachments of all the letters, created together (sudo, as
        # message_post: access to the record was checked)
        created = iter(
            self.env["ir.attachment"]
            .sudo()
            .create([vals for values in attachment_values for vals in values])
        )
        for msg_values, values in zip(msg_values_list, attachment_values, strict=True):
            msg_values["attachment_ids"] = [(4, next(created).id) for _vals in values]
        messages = records._message_create(msg_values_list)
        for record, message, msg_values in zip(
            records, messages, msg_values_list, strict=True
        ):
            record._message_post_after_hook(message, msg_values)
        # as our message_post: a comment the customer sees is news for them
        Subtype = self.env["mail.message.subtype"]
        news = self.browse(
            values["res_id"]
            for values in msg_values_list
            if self._is_customer_news(
                values["message_type"], Subtype.browse(values["subtype_id"])
            )
        )
        if news:
            news.sudo().write({"date_last_customer_update": fields.Datetime.now()})
        return records._notify_letters(messages, msg_values_list, notify_kwargs_list)

    def _letters_batchable(self, post_values_all):
        """Whether ``_post_letters`` gives these letters what message_post
        would: the rest goes through message_post."""
        if (
            self._mail_thread_customer
            or not self._mail_flat_thread
            or self.env.context.get("mail_post_autofollow")
            or self.env.user._is_public()
        ):
            return False
        known = (
            set(self.env["mail.message"]._fields)
            | LETTER_NOTIFY_KWARGS
            | {"attachments", "attachment_ids"}
        ) - {"model", "res_id", "subtype", "tracking_value_ids"}
        for values in post_values_all.values():
            body = str(values.get("body") or "")
            if (
                set(values) - known
                # (message_post would compute them: the composer gives them)
                or "record_alias_domain_id" not in values
                or "record_company_id" not in values
                or values.get("scheduled_date")
                or values.get("attachment_ids")
                or values.get("parent_id")
                or values.get("message_type") == "user_notification"
                or "cid:" in body
                or "data-filename" in body
                or not all(
                    len(attachment) == 2 and isinstance(attachment[1], bytes)
                    for attachment in values.get("attachments") or []
                )
            ):
                return False
        return True

    def _post_letters_one_by_one(self, post_values_all):
        """message_post for each letter, as the composer does (in batch, it
        does not subscribe the author)."""
        messages = self.env["mail.message"]
        records = self
        if len(records) > 1:
            records = records.with_context(mail_post_autofollow_author_skip=True)
        for record in records:
            messages += record.message_post(**post_values_all[record.id])
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("mail_message_id", "in", messages.ids)])
        )

    def _letters_parent_ids(self):
        """{complaint id: parent message id} of a message posted on each of
        these complaints, as ``_message_compute_parent_id`` (flat thread, no
        parent given): the last comment or e-mail among the last messages,
        else the last message. One query."""
        self.env["mail.message"].flush_model(
            ["model", "res_id", "message_type", "date"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (res_id) res_id, id
                  FROM (
                        SELECT id, res_id, message_type, date,
                               row_number() OVER (
                                   PARTITION BY res_id ORDER BY date DESC, id DESC
                               ) AS rank
                          FROM mail_message
                         WHERE model = %(model)s
                           AND res_id IN %(res_ids)s
                           AND message_type != 'user_notification'
                       ) AS latest
                 WHERE rank <= %(lookup)s
              ORDER BY res_id,
                       message_type IN ('comment', 'email') DESC,
                       date DESC,
                       id DESC
                """,
                model=self._name,
                res_ids=tuple(self.ids),
                lookup=PARENT_LOOKUP,
            )
        )
        return dict(self.env.cr.fetchall())

    def _letters_reply_to(self, msg_values_list):
        """The reply-to of the messages that have none, as message_post
        (``_notify_get_reply_to``), computed together."""
        missing = {
            values["res_id"]: values
            for values in msg_values_list
            if "reply_to" not in values
        }
        if not missing:
            return
        reply_to = self.browse(list(missing))._notify_get_reply_to_batch(
            defaults={
                res_id: values["email_from"] for res_id, values in missing.items()
            },
            author_ids={
                res_id: values["author_id"] for res_id, values in missing.items()
            },
        )
        for res_id, values in missing.items():
            values["reply_to"] = reply_to[res_id]

    # ------------------------------------------------------------------
    # Notifying the letters of a batch together
    # ------------------------------------------------------------------
    def _notify_letters(self, messages, msg_values_list, notify_kwargs_list):
        """``_notify_thread`` for the messages of ``_post_letters`` (one per
        complaint of ``self``, in order): the recipients of all of them in
        one query, the out-of-office replies, inbox, SMS and web push as
        Odoo does, the mails rendered each with its layout and created
        together (``_notify_letters_by_email``). Returns the mails, not
        sent."""
        self._raise_for_invalid_parameters(
            {key for kwargs in notify_kwargs_list for key in kwargs},
            restricting_names=self._get_notify_valid_parameters(),
        )
        recipients_all = self._letters_recipients(
            messages, msg_values_list, notify_kwargs_list
        )
        # the authors of the parents, read together (out-of-office replies)
        parents = (
            self.env["mail.message"]
            .sudo()
            .browse(values["parent_id"] for values in msg_values_list)
        )
        parents.author_id.mapped("main_user_id")
        by_email, push = [], []
        for record, message, msg_values, kwargs in zip(
            self, messages, msg_values_list, notify_kwargs_list, strict=True
        ):
            recipients_data = recipients_all[record.id]
            record._notify_thread_with_out_of_office(
                message, recipients_data, msg_vals=msg_values, **kwargs
            )
            if not recipients_data:
                continue
            if any(r["id"] and r["notif"] == "inbox" for r in recipients_data):
                record._notify_thread_by_inbox(
                    message, recipients_data, msg_vals=msg_values, **kwargs
                )
            partners_data = [r for r in recipients_data if r["notif"] == "email"]
            if partners_data:
                by_email.append((record, message, msg_values, kwargs, partners_data))
            push_pids = record._notify_get_recipients_for_extra_notifications(
                message, recipients_data, msg_vals=msg_values
            )
            if push_pids:
                push.append((record, message, msg_values, kwargs, set(push_pids)))
            if hasattr(record, "_notify_thread_by_sms") and any(
                r["notif"] == "sms" for r in recipients_data
            ):
                record._notify_thread_by_sms(
                    message, recipients_data, msg_vals=msg_values, **kwargs
                )
        mails = self._notify_letters_by_email(by_email)
        if push:
            # one look for devices; the few messages with some are pushed
            # as Odoo does
            devices = self._web_push_get_partners_parameters(
                list(set().union(*(item[-1] for item in push)))
            )[0]
            if devices:
                with_devices = set(devices.partner_id.ids)
                for record, message, msg_values, kwargs, pids in push:
                    if pids & with_devices:
                        record._notify_thread_by_web_push(
                            message,
                            recipients_all[record.id],
                            msg_vals=msg_values,
                            **kwargs,
                        )
        return mails

    def _letters_recipients(self, messages, msg_values_list, notify_kwargs_list):
        """{complaint id: recipients data}, as ``_notify_get_recipients``
        gives them for each message (followers of its subtype, its partners,
        without its author), read for all the messages in one query."""
        Followers = self.env["mail.followers"]
        groups = {}
        for record, message, msg_values, kwargs in zip(
            self, messages, msg_values_list, notify_kwargs_list, strict=True
        ):
            key = (msg_values["message_type"], msg_values["subtype_id"])
            groups.setdefault(key, []).append((record, message, msg_values, kwargs))
        recipients_all = {}
        for (message_type, subtype_id), items in groups.items():
            records = self.browse(item[0].id for item in items)
            own = {item[0].id: set(item[2]["partner_ids"]) for item in items}
            everyone = set().union(*own.values())
            data = Followers._get_recipient_data(
                records, message_type, subtype_id, list(everyone)
            )
            for record in records:
                # a partner of another letter who follows this complaint
                # (maybe not this subtype): read this complaint alone
                if any(
                    pid in everyone
                    and pid not in own[record.id]
                    and pdata["is_follower"]
                    for pid, pdata in data[record.id].items()
                ):
                    data[record.id] = Followers._get_recipient_data(
                        record, message_type, subtype_id, list(own[record.id])
                    )[record.id]
                else:
                    data[record.id] = {
                        pid: pdata
                        for pid, pdata in data[record.id].items()
                        if pid not in everyone or pid in own[record.id]
                    }
            for record, message, msg_values, kwargs in items:
                recipients_all[record.id] = record._letters_filter_recipients(
                    data[record.id], message, msg_values, kwargs
                )
        return recipients_all

    def _letters_filter_recipients(self, res, message, msg_values, kwargs):
        """The end of ``_notify_get_recipients``: neither the author (unless
        asked) nor inactive partners."""
        if not res:
            return []
        skip_author_id = False
        if not (
            kwargs.get("notify_author") or self.env.context.get("mail_notify_author")
        ):
            skip_author_id = self._message_compute_real_author(
                msg_values.get("author_id") or message.author_id.id
            ).id
            if (
                kwargs.get("notify_author_mention")
                or self.env.context.get("mail_notify_author_mention")
            ) and skip_author_id in msg_values["partner_ids"]:
                skip_author_id = False
        return [
            pdata
            for pid, pdata in res.items()
            if not (pid and pid == skip_author_id) and pdata["active"] is not False
        ]

    def _notify_letters_by_email(self, by_email):
        """``_notify_thread_by_email`` for the messages of ``_post_letters``:
        each mail rendered in its recipients' language with its layout, as
        Odoo does, the mails and their notifications created together.
        Returns the mails (the caller sends them)."""
        MailMail = self.env["mail.mail"].sudo()
        if not by_email:
            return MailMail
        context = clean_context(self.env.context)
        batch_size = (
            int(self.env["ir.config_parameter"].sudo().get_param("mail.batch_size"))
            or 50
        )
        ancestors = self._letters_ancestors(
            self.env["mail.message"].concat(*(item[1] for item in by_email))
        )
        mail_values_list, notifications = [], []
        for record, message, msg_values, kwargs, partners_data in by_email:
            additional_values = {"auto_delete": kwargs.get("mail_auto_delete", True)}
            base_mail_values = record._letters_base_mail_values(
                message, partners_data, ancestors[message.id], additional_values
            )
            base_notification = record._notify_by_email_get_base_notification_values(
                message
            )
            # a new message has no tracking: no search for it
            render_msg_vals = dict(msg_values, tracking_value_ids=[])
            for (
                _lang,
                render_values,
                group,
            ) in record._notify_get_classified_recipients_iterator(
                message,
                partners_data,
                msg_vals=render_msg_vals,
                model_description=kwargs.get("model_description"),
                force_email_company=kwargs.get("force_email_company"),
                force_email_lang=kwargs.get("force_email_lang"),
                force_record_name=kwargs.get("force_record_name"),
                subtitles=kwargs.get("subtitles"),
            ):
                body = record._notify_by_email_render_layout(
                    message,
                    group,
                    msg_vals=render_msg_vals,
                    render_values=render_values,
                )
                for chunk in split_every(batch_size, group["recipients_ids"]):
                    mail_values_list.append(
                        record._notify_by_email_get_final_mail_values(
                            chunk,
                            base_mail_values,
                            additional_values={"body_html": body},
                        )
                    )
                    notifications.append(
                        [{"res_partner_id": pid, **base_notification} for pid in chunk]
                    )
                if group["recipients_emails"]:
                    mail_values = record._notify_by_email_get_final_mail_values(
                        [], base_mail_values, additional_values={"body_html": body}
                    )
                    mail_values["email_to"] = ",".join(group["recipients_emails"])
                    mail_values_list.append(mail_values)
                    notifications.append(
                        [
                            {"mail_email_address": email, **base_notification}
                            for email in group["recipients_emails"]
                        ]
                    )
        # without the residual default_* keys of the context, as Odoo
        clean_env = self.env(context=context, su=True)
        mails = clean_env["mail.mail"].create(mail_values_list)
        clean_env["mail.notification"].create(
            [
                {"mail_mail_id": mail.id, **values}
                for mail, values_list in zip(mails, notifications, strict=True)
                for values in values_list
            ]
        )
        return mails

    def _letters_ancestors(self, messages):
        """{message id: the messages its mail refers to}, as
        ``_notify_by_email_get_base_mail_values`` finds them for each message
        (among the last messages of its thread, public discussions first),
        read for all of them in one query."""
        Message = self.env["mail.message"].sudo()
        Message.flush_model(["model", "res_id", "subtype_id", "message_id"])
        by_thread = {(m.model, m.res_id): m.id for m in messages.sudo()}
        self.env.cr.execute(
            SQL(
                """
                SELECT id, model, res_id
                  FROM (
                        SELECT id, model, res_id,
                               row_number() OVER (
                                   PARTITION BY model, res_id ORDER BY id DESC
                               ) AS rank
                          FROM mail_message
                         WHERE model = %(model)s
                           AND res_id IN %(res_ids)s
                           AND id NOT IN %(ids)s
                           AND subtype_id IS NOT NULL
                           AND message_id IS NOT NULL
                       ) AS latest
                 WHERE rank <= %(lookup)s
              ORDER BY id DESC
                """,
                model=self._name,
                res_ids=tuple({res_id for _model, res_id in by_thread}),
                ids=tuple(messages.ids),
                lookup=REFERENCES_LOOKUP,
            )
        )
        rows = self.env.cr.fetchall()
        found = Message.browse(row[0] for row in rows)
        # read together, not thread by thread
        found.fetch(["is_internal", "subtype_id", "message_type", "message_id"])
        found.subtype_id.fetch(["internal"])
        per_message = {message.id: [] for message in messages}
        for (_id, model, res_id), ancestor in zip(rows, found, strict=True):
            per_message[by_thread[model, res_id]].append(ancestor)
        result = {}
        for message_id, ancestors in per_message.items():
            ancestors = Message.concat(*ancestors).sorted(
                lambda m: (
                    not m.is_internal and not m.subtype_id.internal,
                    m.message_type in OUTGOING_TYPES,
                    m.message_type not in ("user_notification", "out_of_office"),
                ),
                reverse=True,
            )
            result[message_id] = ancestors[:3].sorted("id")
        return result

    def _letters_base_mail_values(
        self, message, recipients_data, ancestors, additional_values
    ):
        """``_notify_by_email_get_base_mail_values`` with the ancestors found
        for all the letters together (``_letters_ancestors``)."""
        mail_subject = message.subject
        if not mail_subject and self and hasattr(self, "_message_compute_subject"):
            mail_subject = self._message_compute_subject()
        if not mail_subject:
            mail_subject = message.record_name
        if mail_subject:
            mail_subject = " ".join(mail_subject.splitlines())
        message_sudo = message.sudo()
        base_mail_values = {
            "mail_message_id": message.id,
            "references": " ".join(m.message_id for m in (ancestors + message_sudo)),
        }
        if mail_subject != message.subject:
            base_mail_values["subject"] = mail_subject
        base_mail_values.update(additional_values)
        headers = base_mail_values.get("headers") or {}
        external = [
            r
            for r in recipients_data
            if r["active"] and r["email_normalized"] and r["share"]
        ]
        external_emails = [
            formataddr((r["name"], r["email_normalized"])) for r in external
        ]
        external_normalized = [r["email_normalized"] for r in external]
        external_emails += list(
            {
                email
                for email in email_split_and_format_normalize(
                    f"{message_sudo.incoming_email_to or ''},"
                    f"{message_sudo.incoming_email_cc or ''}"
                )
                if email_normalize(email) not in external_normalized
            }
        )
        if (
            external_emails
            and len(external_emails) < self._CUSTOMER_HEADERS_LIMIT_COUNT
        ):
            headers["X-Msg-To-Add"] = ",".join(external_emails)
        if message_sudo.record_alias_domain_id.bounce_email:
            headers["Return-Path"] = message_sudo.record_alias_domain_id.bounce_email
        headers = self._notify_by_email_get_headers(headers=headers)
        if headers:
            base_mail_values["headers"] = repr(headers)
        return base_mail_values
