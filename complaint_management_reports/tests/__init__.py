from . import test_report_letters
from . import test_report_register
from . import test_management_review
from . import test_complaint_analysis
from . import test_mail_letters
from . import test_regulatory_letters
from . import test_regulatory_returns
from . import test_report_rtl
