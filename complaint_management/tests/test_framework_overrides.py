"""The methods of Odoo and OCA the addons override are the ones listed in
``models/framework_overrides.py``, with the signatures written there: an
Odoo upgrade that changes one of them fails here first."""

import hashlib
import inspect

from odoo.tests import TransactionCase, tagged

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..controllers.portal import CustomerPortal as ComplaintPortal
from ..models.framework_overrides import (
    CONTROLLER_OVERRIDES,
    FRAMEWORK_OVERRIDES,
    MIRRORED_BY_LETTER_BATCH,
)

OUR_ADDONS = ("complaint_management", "complaint_management_reports")
# The CRUD contract and the SQL views' init are not in the list (every
# model overrides them).
CRUD = {"create", "write", "unlink", "copy", "default_get", "init"}


def is_ours(cls):
    return cls.__module__.split(".")[2:3] in ([addon] for addon in OUR_ADDONS)


def base_implementation(cls, method):
    """The first class after ours in ``cls``'s MRO defining ``method``."""
    ours = False
    for klass in cls.__mro__:
        if is_ours(klass):
            ours = ours or method in vars(klass)
            continue
        if ours and method in vars(klass):
            return klass, vars(klass)[method]
    return None, None


def code_digest(cls, method):
    """Digest of the code of every implementation of ``method`` in ``cls``'s
    MRO that is not ours."""
    digest = hashlib.sha256()
    for klass in cls.__mro__:
        if method in vars(klass) and not is_ours(klass):
            function = inspect.unwrap(
                getattr(vars(klass)[method], "__func__", vars(klass)[method])
            )
            digest.update(klass.__module__.encode())
            digest.update(inspect.getsource(function).encode())
    return digest.hexdigest()[:16]


@tagged("post_install", "-at_install")
class TestFrameworkOverrides(TransactionCase):
    def test_letter_batch_mirrors_unchanged_code(self):
        """The methods the batch of letters does the work of
        (``_post_letters``) are the code it was written against."""
        changed = [
            f"{model}.{method}: {code_digest(type(self.env[model]), method)}"
            for model, method, digest in MIRRORED_BY_LETTER_BATCH
            if code_digest(type(self.env[model]), method) != digest
        ]
        self.assertEqual(changed, [], "review _post_letters against them")

    def test_base_signatures_unchanged(self):
        for model, method, signature, _where in FRAMEWORK_OVERRIDES:
            with self.subTest(model=model, method=method):
                klass, function = base_implementation(type(self.env[model]), method)
                self.assertIsNotNone(
                    function, f"{model}.{method}: no longer overridden or not in Odoo"
                )
                function = inspect.unwrap(getattr(function, "__func__", function))
                self.assertEqual(
                    str(inspect.signature(function)),
                    signature,
                    f"{model}.{method} changed in {klass.__module__}",
                )

    def test_controller_signatures_unchanged(self):
        for method, signature, _where in CONTROLLER_OVERRIDES:
            with self.subTest(method=method):
                self.assertIn(method, vars(ComplaintPortal))
                function = inspect.unwrap(getattr(CustomerPortal, method))
                self.assertEqual(str(inspect.signature(function)), signature)

    def test_every_override_is_listed(self):
        """A new override of an Odoo method (private, or a mail/export hook)
        must be added to the list."""

        def our_class(model, method):
            return next(
                klass
                for klass in type(self.env[model]).__mro__
                if is_ours(klass) and method in vars(klass)
            )

        listed = {
            (our_class(model, method), method)
            for model, method, *_rest in FRAMEWORK_OVERRIDES
        }
        found = set()
        for model_name in self.env.registry:
            cls = type(self.env[model_name])
            for klass in cls.__mro__[1:]:
                if not is_ours(klass):
                    continue
                for name, value in vars(klass).items():
                    if name.startswith("__") or name in CRUD:
                        continue
                    if not inspect.isfunction(getattr(value, "__func__", value)):
                        continue
                    if base_implementation(cls, name)[1] is not None:
                        found.add((klass, name))
        missing = sorted(f"{k.__module__}.{name}" for k, name in found - listed)
        self.assertEqual(missing, [], "overrides missing from FRAMEWORK_OVERRIDES")
