import codecs
import logging

from odoo import api, models

_logger = logging.getLogger(__name__)


class MailThread(models.AbstractModel):
    """Robust parsing of incoming e-mail: a complaint sent by e-mail must not
    be lost because of a broken header or body."""

    _inherit = "mail.thread"

    @api.model
    def message_parse(self, message, save_original=False):
        try:
            msg_dict = super().message_parse(message, save_original=save_original)
        except LookupError:
            # A part declares a charset Python does not know (e.g.
            # "x-unknown"): read it as UTF-8 with replacement characters
            # instead of refusing the whole e-mail.
            for part in message.walk():
                charset = part.get_param("charset")
                if not isinstance(charset, str):
                    continue
                try:
                    codecs.lookup(charset)
                except LookupError:
                    _logger.info(
                        "Incoming e-mail: unknown charset %r read as UTF-8", charset
                    )
                    part.set_param("charset", "utf-8")
            msg_dict = super().message_parse(message, save_original=save_original)
        # PostgreSQL refuses NUL characters in text: drop them rather than the mail.
        for key, value in msg_dict.items():
            if isinstance(value, str) and "\x00" in value:
                msg_dict[key] = value.replace("\x00", "")
        return msg_dict
