import {patch} from "@web/core/utils/patch";
import {PortalHomeCounters} from "@portal/interactions/portal_home_counters";

// Customers must find where to complain even before their first complaint.
patch(PortalHomeCounters.prototype, {
    getCountersAlwaysDisplayed() {
        return super
            .getCountersAlwaysDisplayed(...arguments)
            .concat(["complaint_count"]);
    },
});
