"""The citizen's career-break service (guide 000), as it declares itself to the portal."""

from __future__ import annotations

from app.careerbreak.attachments.routes import AttachmentsController
from app.careerbreak.attestations.routes import AttestationsController
from app.careerbreak.cancellation.routes import CancellationController
from app.careerbreak.catalogue import CAREER_BREAK_SERVICE
from app.careerbreak.completion.routes import CompletionController
from app.careerbreak.consultations.routes import ConsultationsController
from app.careerbreak.decision import ENTERPRISE_NOTICE_ITEM, deliver_enterprise_decision
from app.careerbreak.documents import (
    ACKNOWLEDGEMENT_ITEM,
    DECISION_COPY_ITEM,
    deliver_acknowledgement,
    deliver_decision_copy,
)
from app.careerbreak.menu import MENU
from app.careerbreak.routes import CareerBreakController
from app.careerbreak.tables import Attachment, CareerBreakRequest, RequestEvent
from app.careerbreak.wording import (
    CARE_MOTIVE_NAMES,
    DOCUMENT_NAMES,
    FORM_NAMES,
    KIND_NAMES,
    STATE_NAMES,
    request_description,
)
from app.service import Service

SERVICE = Service(
    name="careerbreak",
    route_handlers=[
        CareerBreakController, CancellationController, CompletionController, AttestationsController,
        AttachmentsController, ConsultationsController,
    ],
    tables=[CareerBreakRequest, RequestEvent, Attachment],
    # The names its templates use (and the employer's, which show the same requests).
    template_globals={
        "careerbreak_menu": MENU,
        "kind_names": KIND_NAMES,
        "form_names": FORM_NAMES,
        "state_names": STATE_NAMES,
        "document_names": DOCUMENT_NAMES,
        "care_motive_names": CARE_MOTIVE_NAMES,
        "request_description": request_description,
    },
    catalogue=[CAREER_BREAK_SERVICE],
    # What its transactions write to the outbox: the acknowledgement of a worker's part, a decision's
    # copy and notice (its WORKER_PART_SENT is the outbox's own kind, an event).
    outbox_handlers={
        ACKNOWLEDGEMENT_ITEM: deliver_acknowledgement,
        DECISION_COPY_ITEM: deliver_decision_copy,
        ENTERPRISE_NOTICE_ITEM: deliver_enterprise_decision,
    },
)
