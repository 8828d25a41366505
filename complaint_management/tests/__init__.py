from . import test_install
from . import test_portal
from . import test_public_form
from . import test_portal_browser
