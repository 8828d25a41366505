from . import complaint
from . import complaint_return_code
from . import complaint_category
from . import complaint_channel
from . import complaint_root_cause
from . import ir_actions_report
from . import res_company
from . import res_config_settings
