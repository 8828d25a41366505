from . import test_install
from . import test_workflow
from . import test_acknowledgement
from . import test_mail_gateway
from . import test_ticket_escalation
from . import test_appeal
from . import test_duplicate
from . import test_access_rights
