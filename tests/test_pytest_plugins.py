"""The cross-addon run does not depend on the pytest plugins installed.

pytest-odoo (common in OCA setups, and in our requirements on purpose) takes
over any pytest session it is loaded into and makes every live-server test
error at setup. ``setup/run_tests.py`` runs pytest with plugin autoloading
off; these tests prove the plugin is installed and yet not loaded.
"""

import importlib.metadata
import os


def _pytest11_plugins():
    return {
        ep.name: ep.value for ep in importlib.metadata.entry_points(group="pytest11")
    }


def test_pytest_odoo_is_installed():
    assert _pytest11_plugins().get("odoo") == "pytest_odoo"


def test_foreign_plugins_are_not_loaded(pytestconfig):
    assert os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD") == "1"
    loaded = {name for name, _plugin in pytestconfig.pluginmanager.list_name_plugin()}
    assert "odoo" not in loaded
    assert "pytest_odoo" not in loaded
