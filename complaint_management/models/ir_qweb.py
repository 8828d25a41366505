from lxml import etree

from odoo import models

from .letter_flags import QWEB_CACHE_KEY


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _compile(self, template):
        """The mail renderer parses and compiles the body of a mail template
        anew for each record. While a batch of letters is sent, a body is
        compiled once per batch (and per language, as Odoo caches the
        compilation of its stored templates)."""
        cache = self.env.cr.cache.get(QWEB_CACHE_KEY)
        if (
            cache is None
            or not isinstance(template, etree._Element)
            or self.env.context.get("raise_on_forbidden_code_for_model")
        ):
            return super()._compile(template)
        key = (
            etree.tostring(template),
            tuple(
                self.env.context.get(key) or False
                for key in self._get_template_cache_keys()
            ),
        )
        if key not in cache:
            cache[key] = super()._compile(template)
        return cache[key]
