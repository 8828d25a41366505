from . import complaint_analysis
from . import complaint_record
from . import complaint_management_review
from . import complaint_sla_compliance
from . import complaint_outcome_analysis
from . import complaint_board_pack
