import codecs
import logging
import re

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools.mail import decode_message_header, email_normalize_all

from .letter_flags import CTX_MAIL_GATEWAY

_logger = logging.getLogger(__name__)

COMPLAINT_MODEL = "complaint.complaint"
RECIPIENT_HEADERS = ("Delivered-To", "To", "Cc", "Resent-To", "Resent-Cc")
MESSAGE_ID_RE = re.compile(r"<[^<>\s]+>")


class MailThread(models.AbstractModel):
    """Robust parsing of incoming e-mail for complaints only: a complaint sent
    by e-mail must not be lost because of a broken header or body. Mail for
    every other model is parsed by the standard code, untouched: the hardening
    applies when the gateway is asked for complaints (message_process with the
    complaint model), when the mail is addressed to a complaints alias or when
    it replies to a complaint's message."""

    _inherit = "mail.thread"

    @api.model
    def message_process(
        self,
        model,
        message,
        custom_values=None,
        save_original=False,
        strip_attachments=False,
        thread_id=None,
    ):
        if (model or self._name).startswith("complaint."):
            self._complaint_check_gateway()
        if model == COMPLAINT_MODEL:
            self = self.with_context(**{CTX_MAIL_GATEWAY: True})
        return super().message_process(
            model,
            message,
            custom_values=custom_values,
            save_original=save_original,
            strip_attachments=strip_attachments,
            thread_id=thread_id,
        )

    @api.model
    def _complaint_check_gateway(self):
        """The gateway posts and creates as superuser: for complaints it is
        run by the mail server (fetchmail, mailgate as an administrator), not
        by any user over RPC."""
        if not (self.env.su or self.env.user.has_group("base.group_system")):
            raise AccessError(
                self.env._("Only the mail gateway may process complaint e-mail.")
            )

    @api.model
    def message_route(
        self, message, message_dict, model=None, thread_id=None, custom_values=None
    ):
        """A mail routed to complaints (their alias, a reply to a complaint's
        message) is for the gateway only, whatever fallback model the caller
        of message_process named."""
        routes = super().message_route(
            message,
            message_dict,
            model=model,
            thread_id=thread_id,
            custom_values=custom_values,
        )
        if any((route[0] or "").startswith("complaint.") for route in routes):
            self._complaint_check_gateway()
        return routes

    @api.model
    def message_parse(self, message, save_original=False):
        try:
            msg_dict = super().message_parse(message, save_original=save_original)
        except LookupError:
            if not self._complaint_mail_for_complaints(message):
                raise
            # A part declares a charset Python does not know (e.g.
            # "x-unknown"): read it as UTF-8 with replacement characters
            # instead of refusing the whole complaint.
            for part in message.walk():
                charset = part.get_param("charset")
                if not isinstance(charset, str):
                    continue
                try:
                    codecs.lookup(charset)
                except LookupError:
                    _logger.info(
                        "Incoming complaint e-mail: unknown charset %r read as UTF-8",
                        charset,
                    )
                    part.set_param("charset", "utf-8")
            msg_dict = super().message_parse(message, save_original=save_original)
        # PostgreSQL refuses NUL characters in text: drop them rather than the
        # complaint.
        with_nul = [
            key
            for key, value in msg_dict.items()
            if isinstance(value, str) and "\x00" in value
        ]
        if with_nul and self._complaint_mail_for_complaints(message):
            for key in with_nul:
                msg_dict[key] = msg_dict[key].replace("\x00", "")
        return msg_dict

    @api.model
    def _complaint_mail_for_complaints(self, message):
        """Whether ``message`` goes to the complaints gateway: asked for the
        complaint model, addressed to a complaints alias (matched as
        ``message_route`` matches aliases) or a reply to a complaint's
        message. Only asked for a mail the standard parser cannot store."""
        if self._name == COMPLAINT_MODEL or self.env.context.get(CTX_MAIL_GATEWAY):
            return True

        def header(name):
            try:
                value = decode_message_header(message, name, separator=",")
            except (LookupError, ValueError):
                return ""
            return (value or "").replace("\x00", "")

        recipients = email_normalize_all(
            ",".join(filter(None, map(header, RECIPIENT_HEADERS)))
        )
        if recipients:
            local_parts = [email.partition("@")[0] for email in recipients]
            alias = (
                self.env["mail.alias"]
                .sudo()
                .search_count(
                    [
                        ("alias_model_id.model", "=", COMPLAINT_MODEL),
                        "|",
                        ("alias_full_name", "in", recipients),
                        "&",
                        ("alias_name", "in", local_parts),
                        ("alias_incoming_local", "=", True),
                    ],
                    limit=1,
                )
            )
            if alias:
                return True
        references = MESSAGE_ID_RE.findall(
            f"{header('References')} {header('In-Reply-To')}"
        )
        return bool(
            references
            and self.env["mail.message"]
            .sudo()
            .search_count(
                [("model", "=", COMPLAINT_MODEL), ("message_id", "in", references)],
                limit=1,
            )
        )
