from . import complaint
from . import ir_actions_report
