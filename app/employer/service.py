"""The employer's part of a career-break request (guide 001), as it declares itself to the portal."""

from __future__ import annotations

from app.careerbreak.events import WORKER_PART_SENT
from app.employer.catalogue import EMPLOYER_SERVICE
from app.employer.consultation import ConsultationController
from app.employer.ebox import EnterpriseEboxController
from app.employer.routes import EmployerHomeController, EmployerRequestController
from app.employer.screens import MENU
from app.employer.services import notify_enterprise_of_worker_part
from app.service import Service

SERVICE = Service(
    name="employer",
    route_handlers=[EmployerHomeController, EmployerRequestController, ConsultationController,
                    EnterpriseEboxController],
    catalogue=[EMPLOYER_SERVICE],
    template_globals={"employer_menu": MENU},
    listeners={WORKER_PART_SENT: notify_enterprise_of_worker_part},
)
