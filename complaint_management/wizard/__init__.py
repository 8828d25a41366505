from . import complaint_cancel_wizard
from . import complaint_duplicate_wizard
from . import complaint_appeal_wizard
