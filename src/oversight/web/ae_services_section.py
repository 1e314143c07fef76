"""What the A&E series page shows of an organisation's services and balancing measures
(template ``_ae_services.html``): its department types' 4-hour shares with their own ranks and
intervals, and any balancing-measure alert, for the latest month. Rendered, never computed here.
"""

from __future__ import annotations

from typing import Any

from oversight.service.ae_services import ae_services_or_none
from oversight.service.balancing import balancing_alerts
from oversight.service.site import Site


def services_context(site: Site, code: str, organisation: bool) -> dict[str, Any]:
    """Template context: ``services`` (a ServiceSplit or None), ``balancing`` (the report) and
    ``balancing_alerts`` (this code's alerts); nothing for England or a region."""
    if not organisation:
        return {"services": None, "balancing": None, "balancing_alerts": []}
    report = balancing_alerts(site)
    return {
        "services": ae_services_or_none(site, code),
        "balancing": report,
        "balancing_alerts": [a for a in report.alerts if a.code == code],
    }
