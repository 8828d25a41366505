from . import complaint_management_review_wizard
from . import complaint_regulatory_return_wizard
from . import complaint_board_pack
