from . import complaint_cancel_wizard
from . import complaint_duplicate_wizard
from . import complaint_appeal_wizard
from . import complaint_public_holidays_wizard
from . import complaint_subject_access_wizard
from . import complaint_regulatory_response_wizard
from . import complaint_systemic_issue_merge_wizard
