"""Portfolios and completion: participants submit evidence against attributes, assessors sign it
off or ask for more, and the programme's administrators confirm completion, which issues the Open
Badges 3.0 credential and its certificate (through `cadre.credentials`).

Who sees what. A portfolio (its evidence, files, notes and completion) is seen by the participant,
the cohort's assessors and the administrators of the cohort's organisation; nobody else, and never
through a steering group place: a steering member who is also named an assessor still sees no
individual's evidence (administrators keep their access, as they run the programme).

Files. An evidence file is checked before anything is written: its size, its name's ending, and
its contents (the first bytes of a PDF, PNG or JPEG, a Word document's parts, or text that is
UTF-8 throughout), so a renamed program or web page is refused whatever it is called. It is
stored inside the transaction that records the evidence and deleted again if that transaction
fails, so a refused or failed submission leaves nothing on disk.

Completion is confirmed by an administrator (never automatically): the rules are checked when
they confirm, every unmet one is listed, and the completion, the credential and its id on the
application are written together or not at all."""

import codecs
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from cadre.core.audit import audit_event
from cadre.core.errors import PermissionDenied, Problem, ValidationError
from cadre.core.models import Role
from cadre.core.selectors import organisations_where
from cadre.frameworks.models import Attribute, FrameworkVersion
from cadre.programmes.models import Application, Attendance, Cohort, Evidence, Programme, Session, SteeringMember

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TITLE = 200
MAX_TEXT = 20_000
MAX_NOTE = 5_000
MAX_FILE_NAME = 200
PORTFOLIO_STATUSES = (Application.Status.ACCEPTED, Application.Status.COMPLETED)


# -- who may do what ------------------------------------------------------------------------------


def _administered(user) -> list[int]:
    return organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN)


def _assessing_condition(user) -> Q:
    """Cohorts where the user is a named assessor and not on the steering group."""
    assessed = Cohort.assessors.through.objects.filter(user_id=user.pk).values("cohort_id")
    steering = SteeringMember.objects.filter(user_id=user.pk).values("cohort_id")
    return Q(cohort_id__in=assessed) & ~Q(cohort_id__in=steering)


def portfolio_applications_visible_to(user) -> QuerySet[Application]:
    """Participants' applications whose portfolio the user may see: their own, those of cohorts
    they assess (not while on the cohort's steering group) and those of organisations they run."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    condition = Q(person__user_id=user.pk) | Q(cohort__organisation_id__in=_administered(user))
    condition |= _assessing_condition(user)
    return Application.objects.filter(condition, status__in=PORTFOLIO_STATUSES).select_related(
        "person", "person__organisation", "cohort", "cohort__programme", "cohort__organisation", "organisation"
    )


def evidence_visible_to(user) -> QuerySet[Evidence]:
    ids = portfolio_applications_visible_to(user).values("pk")
    return Evidence.objects.filter(application_id__in=ids).select_related(
        "application",
        "application__person",
        "application__cohort",
        "application__cohort__programme",
        "assessor",
    )


def cohorts_assessed_by(user) -> QuerySet[Cohort]:
    """Cohorts whose evidence the user may assess: as a named assessor (not on its steering group)
    or as an administrator of its organisation."""
    if not getattr(user, "is_authenticated", False):
        return Cohort.objects.none()
    condition = Q(organisation_id__in=_administered(user))
    assessed = Cohort.assessors.through.objects.filter(user_id=user.pk).values("cohort_id")
    steering = SteeringMember.objects.filter(user_id=user.pk).values("cohort_id")
    condition |= Q(pk__in=assessed) & ~Q(pk__in=steering)
    return Cohort.objects.filter(condition).select_related("programme", "organisation")


def is_participant_self(user, application: Application) -> bool:
    return application.person.user_id is not None and application.person.user_id == getattr(user, "pk", None)


def may_administer(user, application: Application) -> bool:
    return application.cohort.organisation_id in _administered(user)


def may_assess(user, application: Application) -> bool:
    """An administrator of the cohort's organisation, or a named assessor not on its steering group;
    never the participant themself."""
    if not getattr(user, "is_authenticated", False) or is_participant_self(user, application):
        return False
    if may_administer(user, application):
        return True
    return (
        Cohort.assessors.through.objects.filter(cohort_id=application.cohort_id, user_id=user.pk).exists()
        and not SteeringMember.objects.filter(cohort_id=application.cohort_id, user_id=user.pk).exists()
    )


def may_complete(user, application: Application) -> bool:
    return may_administer(user, application) and not is_participant_self(user, application)


# -- attributes -----------------------------------------------------------------------------------


def attribute_names(programme: Programme) -> dict[str, str]:
    """Names of the attributes of the programme's framework (its published version), by key."""
    if programme.framework_id is None:
        return {}
    return dict(
        Attribute.objects.filter(
            version__framework_id=programme.framework_id, version__status=FrameworkVersion.Status.PUBLISHED
        ).values_list("key", "name")
    )


def evidence_keys(programme: Programme) -> list[str]:
    """The attributes evidence may be given against: the programme's evidence attributes, or its
    selection criteria when it names none."""
    return list(programme.evidence_attributes or programme.selection_attributes or [])


def _day(moment) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y}"


def attribute_label(names: dict[str, str], key: str) -> str:
    return names.get(key, key.replace("-", " ").capitalize())


# -- evidence files -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileKind:
    ending: str
    label: str
    content_type: str


KINDS = {
    "pdf": FileKind("pdf", "a PDF", "application/pdf"),
    "docx": FileKind(
        "docx", "a Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "png": FileKind("png", "a PNG image", "image/png"),
    "jpg": FileKind("jpg", "a JPEG image", "image/jpeg"),
    "txt": FileKind("txt", "a plain text file", "text/plain; charset=utf-8"),
}
ENDINGS = {"pdf": "pdf", "docx": "docx", "png": "png", "jpg": "jpg", "jpeg": "jpg", "txt": "txt"}
ACCEPT = ".pdf,.docx,.png,.jpg,.jpeg,.txt"
ALLOWED = "a PDF, a Word document (.docx), a PNG or JPEG image, or a plain text file (.txt)"
_TEXT_CONTROLS = {c for c in range(32) if c not in (9, 10, 12, 13)} | {127}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: FileKind


def safe_file_name(name: str) -> str:
    """The file's own name, without folders or unprintable characters, at most 200 characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip() or "evidence"
    if len(name) > MAX_FILE_NAME:
        stem, dot, ending = name.rpartition(".")
        name = f"{stem[: MAX_FILE_NAME - len(ending) - 1]}.{ending}" if dot and len(ending) <= 10 else name[:200]
    return name


def _ending(name: str) -> str:
    return name.rsplit(".", 1)[1].lower() if "." in name else ""


def _is_word_document(upload) -> bool:
    """A .docx is a zip holding the Word parts (and no macros). Only the zip's directory is read."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    finally:
        upload.seek(0)
    return {"[Content_Types].xml", "word/document.xml"} <= names and "word/vbaProject.bin" not in names


def _is_text(upload) -> bool:
    """UTF-8 throughout, with no control characters besides tabs, line and page breaks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    upload.seek(0)
    try:
        for chunk in upload.chunks(64 * 1024):
            if any(byte in _TEXT_CONTROLS for byte in set(chunk)):
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        upload.seek(0)
    return True


def _detect(upload) -> str | None:
    """The kind of file the contents show, whatever its name says."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if _is_word_document(upload) else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if _is_text(upload):
        return "txt"
    return None


def check_evidence_file(upload, *, field: str = "file") -> tuple[CheckedFile | None, list[Problem]]:
    """Check an uploaded evidence file: what to store it as, or the problem with it."""
    name = safe_file_name(getattr(upload, "name", "") or "")
    size = getattr(upload, "size", None)
    if size is None:
        return None, [Problem("The selected file could not be read. Choose it again.", field=field)]
    if size == 0:
        return None, [Problem("The selected file is empty.", field=field)]
    if size > MAX_FILE_BYTES:
        return None, [Problem("The selected file must be smaller than 10 MB.", field=field)]
    ending = _ending(name)
    if ending == "doc":
        return None, [
            Problem("The selected file is an older Word document (.doc). Save it as .docx and try again.", field=field)
        ]
    if ending not in ENDINGS:
        return None, [Problem(f"The selected file must be {ALLOWED}.", field=field)]
    claimed = KINDS[ENDINGS[ending]]
    found = _detect(upload)
    if found != claimed.ending:
        if found in KINDS:
            actual = f"its contents are those of {KINDS[found].label}"
        elif found == "doc":
            actual = "its contents are those of an older Word document (.doc)"
        else:
            actual = f"its contents are not {claimed.label}"
        return None, [Problem(f"The selected file is called .{ending} but {actual}. Choose {ALLOWED}.", field=field)]
    return CheckedFile(name=name, kind=claimed), []


def content_type_of(evidence: Evidence) -> str:
    """The type to serve a stored file as: from its stored ending, which Cadre chose after checking."""
    kind = KINDS.get(ENDINGS.get(_ending(evidence.file.name), ""))
    return kind.content_type if kind else "application/octet-stream"


# -- evidence -------------------------------------------------------------------------------------


def _clean_line(text) -> str:
    return " ".join(str(text or "").replace("\x00", "").split())


def _clean_block(text) -> str:
    return str(text or "").replace("\x00", "").replace("\r\n", "\n").strip()


def evidence_refusal(application: Application) -> Problem | None:
    if application.status == Application.Status.ACCEPTED:
        return None
    if application.status == Application.Status.COMPLETED:
        return Problem("The programme is complete, so the portfolio is closed.")
    return Problem("Evidence can only be added while taking part in the programme.")


def evidence_submit(*, application: Application, actor, key: str, title: str, text: str = "", file=None) -> Evidence:
    """The participant adds a piece of evidence: a description, a file or both."""
    if not is_participant_self(actor, application):
        raise PermissionDenied("Only the participant adds evidence to their portfolio.")
    refusal = evidence_refusal(application)
    if refusal is not None:
        raise ValidationError(refusal)
    title, text = _clean_line(title), _clean_block(text)
    problems = []
    if key not in evidence_keys(application.cohort.programme):
        problems.append(Problem("Choose the attribute this evidence shows.", field="key"))
    if not title:
        problems.append(Problem("Enter a title for the evidence.", field="title"))
    elif len(title) > MAX_TITLE:
        problems.append(Problem(f"The title must be {MAX_TITLE} characters or fewer.", field="title"))
    if len(text) > MAX_TEXT:
        problems.append(Problem(f"The description must be {MAX_TEXT:,} characters or fewer.", field="text"))
    checked = None
    if file:
        checked, file_problems = check_evidence_file(file)
        problems += file_problems
    elif not text:
        problems.append(Problem("Describe your evidence, attach a file, or both.", field="text"))
    if problems:
        raise ValidationError(problems)

    stored = ""
    try:
        with transaction.atomic(durable=True):
            locked = Application.objects.select_for_update().get(pk=application.pk)
            refusal = evidence_refusal(locked)
            if refusal is not None:
                raise ValidationError(refusal)
            locked.cohort = application.cohort
            evidence = Evidence(application=locked, key=key, title=title, text=text, submitted_at=timezone.now())
            if checked is not None:
                file.seek(0)
                evidence.file_name = checked.name
                evidence.file.save(f"evidence.{checked.kind.ending}", file, save=False)
                stored = evidence.file.name
            evidence.save()
            audit_event(
                actor=actor,
                event="programme.evidence_submitted",
                target=evidence,
                organisation_id=application.cohort.organisation_id,
                data={"key": key, "file": checked is not None},
            )
    except BaseException:
        if stored:
            Evidence._meta.get_field("file").storage.delete(stored)
        raise
    return evidence


def evidence_assess(*, evidence: Evidence, actor, signed_off: bool | None, note: str = "") -> Evidence:
    """An assessor signs the evidence off, or asks for more with a note saying what. The participant
    is emailed once it is recorded."""
    application = evidence.application
    if not may_assess(actor, application):
        raise PermissionDenied("Only the cohort's assessors and administrators assess evidence, never their own.")
    note = _clean_block(note)
    problems = []
    if signed_off is None:
        problems.append(Problem("Choose whether to sign the evidence off or ask for more.", field="decision"))
    elif not signed_off and not note:
        problems.append(Problem("Say what more is needed: the participant reads this note.", field="note"))
    if len(note) > MAX_NOTE:
        problems.append(Problem(f"The note must be {MAX_NOTE:,} characters or fewer.", field="note"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(durable=True):
        locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
        if locked.status != Evidence.Status.SUBMITTED:
            raise ValidationError(
                Problem(f"This evidence has already been assessed: {locked.get_status_display().lower()}.")
            )
        current = Application.objects.only("status").get(pk=application.pk)
        if current.status != Application.Status.ACCEPTED:
            raise ValidationError(Problem("Evidence can only be assessed while the participant is taking part."))
        locked.status = Evidence.Status.SIGNED_OFF if signed_off else Evidence.Status.MORE_NEEDED
        locked.assessor = actor
        locked.assessor_note = note
        locked.assessed_at = timezone.now()
        locked.save(update_fields=["status", "assessor", "assessor_note", "assessed_at"])
        audit_event(
            actor=actor,
            event="programme.evidence_signed_off" if signed_off else "programme.evidence_more_needed",
            target=locked,
            organisation_id=application.cohort.organisation_id,
        )
        transaction.on_commit(lambda: _email_participant_assessed(locked.pk))
    evidence.status, evidence.assessor, evidence.assessor_note, evidence.assessed_at = (
        locked.status,
        locked.assessor,
        locked.assessor_note,
        locked.assessed_at,
    )
    return evidence


# -- completion -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceSoFar:
    started: int
    present: int
    required_percent: int

    @property
    def percent(self) -> int | None:
        return None if self.started == 0 else round(100 * self.present / self.started)

    @property
    def met(self) -> bool:
        if self.required_percent == 0:
            return True
        return self.started > 0 and self.present * 100 >= self.required_percent * self.started


def attendance_so_far(application: Application, *, now=None) -> AttendanceSoFar:
    """The cohort's sessions that have started (not cancelled), and how many the participant attended."""
    now = now or timezone.now()
    counts = Session.objects.filter(cohort_id=application.cohort_id, cancelled=False, starts_at__lte=now).aggregate(
        started=Count("id", distinct=True),
        present=Count(
            "attendance",
            filter=Q(attendance__application_id=application.pk, attendance__status=Attendance.Status.PRESENT),
        ),
    )
    return AttendanceSoFar(
        started=counts["started"],
        present=counts["present"],
        required_percent=application.cohort.programme.min_attendance_percent,
    )


def signed_off_keys(application: Application) -> set[str]:
    return set(
        Evidence.objects.filter(application_id=application.pk, status=Evidence.Status.SIGNED_OFF).values_list(
            "key", flat=True
        )
    )


def completion_problems(
    application: Application,
    *,
    attendance: AttendanceSoFar | None = None,
    signed_off: set[str] | None = None,
    names: dict[str, str] | None = None,
) -> list[Problem]:
    """Every completion rule the participant does not meet yet; empty when they may complete.
    (Counts and names already read for a page may be passed in, to save reading them again.)"""
    name = application.person.full_name
    if application.status == Application.Status.COMPLETED:
        if application.completed_at is None:
            return [Problem(f"{name} has already completed the programme.")]
        return [Problem(f"{name} has already completed the programme, on {_day(application.completed_at)}.")]
    if application.status != Application.Status.ACCEPTED:
        return [Problem(f"{name} is not taking part in the programme.")]
    programme = application.cohort.programme
    problems = []
    attendance = attendance or attendance_so_far(application)
    if not attendance.met:
        if attendance.started == 0:
            problems.append(
                Problem(
                    f"No sessions have taken place yet: at least {attendance.required_percent}% of the "
                    "cohort's sessions must be attended.",
                    field="attendance",
                )
            )
        else:
            problems.append(
                Problem(
                    f"Attended {attendance.present} of {attendance.started} sessions so far ({attendance.percent}%): "
                    f"at least {attendance.required_percent}% must be attended.",
                    field="attendance",
                )
            )
    if programme.evidence_attributes:
        signed_off = signed_off_keys(application) if signed_off is None else signed_off
        names = attribute_names(programme) if names is None else names
        for key in programme.evidence_attributes:
            if key not in signed_off:
                problems.append(
                    Problem(f"No evidence signed off yet for {attribute_label(names, key)}.", field=f"evidence-{key}")
                )
    return problems


def completion_criteria(application: Application, attendance: AttendanceSoFar, names: dict[str, str]) -> str:
    """What the participant did to earn the credential, from the programme's rules."""
    cohort, programme = application.cohort, application.cohort.programme
    parts = [
        f"Took part in {cohort.name} of {programme.title} ({cohort.starts_on:%-d %B %Y} to {cohort.ends_on:%-d %B %Y})."
    ]
    if programme.min_attendance_percent:
        parts.append(
            f"Attended at least {programme.min_attendance_percent}% of the cohort's sessions "
            f"({attendance.present} of {attendance.started})."
        )
    if programme.evidence_attributes:
        listed = ", ".join(attribute_label(names, key) for key in programme.evidence_attributes)
        parts.append(f"Had portfolio evidence signed off by an assessor for each of: {listed}.")
    return " ".join(parts)


def application_complete(*, application: Application, actor) -> Application:
    """An administrator confirms the participant has completed: the rules are checked (every unmet
    one is listed), the application is marked completed and the Open Badges 3.0 credential is
    issued, all in one transaction. Completing twice is refused."""
    from cadre.credentials.services import credential_issue

    if not may_administer(actor, application):
        raise PermissionDenied("Only the programme's administrators confirm completion.")
    if is_participant_self(actor, application):
        raise PermissionDenied("Someone else on the programme team must confirm your own completion.")
    with transaction.atomic(durable=True):
        locked = Application.objects.select_for_update().get(pk=application.pk)
        locked.person, locked.cohort = application.person, application.cohort
        programme = locked.cohort.programme
        names = attribute_names(programme)
        attendance = attendance_so_far(locked)
        problems = completion_problems(locked, attendance=attendance, names=names)
        if problems:
            raise ValidationError(problems)
        now = timezone.now()
        credential = credential_issue(
            organisation=locked.cohort.organisation,
            recipient_name=locked.person.full_name,
            recipient_email=locked.person.email or "",
            person=locked.person,
            achievement_name=programme.title,
            achievement_description=programme.summary or programme.title,
            criteria=completion_criteria(locked, attendance, names),
            source_label=str(locked.cohort)[:200],
            actor=actor,
        )
        locked.status = Application.Status.COMPLETED
        locked.completed_at = now
        locked.updated_at = now
        locked.credential_uuid = credential.id
        locked.save(update_fields=["status", "completed_at", "updated_at", "credential_uuid"])
        audit_event(
            actor=actor,
            event="programme.completed",
            target=locked,
            organisation_id=locked.cohort.organisation_id,
            data={"credential": str(credential.id)},
        )
    application.status, application.completed_at, application.credential_uuid = (
        locked.status,
        locked.completed_at,
        locked.credential_uuid,
    )
    return application


# -- reads for the pages --------------------------------------------------------------------------


@dataclass
class AttributeEvidence:
    key: str
    name: str
    required: bool
    pieces: list[Evidence]

    @property
    def status(self) -> str:
        statuses = {piece.status for piece in self.pieces}
        for status in (Evidence.Status.SIGNED_OFF, Evidence.Status.SUBMITTED, Evidence.Status.MORE_NEEDED):
            if status in statuses:
                return status
        return "none"

    @property
    def status_label(self) -> str:
        return {
            Evidence.Status.SIGNED_OFF: "Signed off",
            Evidence.Status.SUBMITTED: "Waiting for an assessor",
            Evidence.Status.MORE_NEEDED: "More needed",
        }.get(self.status, "No evidence yet")


def portfolio_by_attribute(application: Application, names: dict[str, str]) -> list[AttributeEvidence]:
    """The evidence, one group per attribute: those the programme asks for first, in its order."""
    programme = application.cohort.programme
    pieces = list(
        Evidence.objects.filter(application_id=application.pk).select_related("assessor").order_by("submitted_at", "pk")
    )
    keys = list(dict.fromkeys([*programme.evidence_attributes, *evidence_keys(programme), *(p.key for p in pieces)]))
    return [
        AttributeEvidence(
            key=key,
            name=attribute_label(names, key),
            required=key in programme.evidence_attributes,
            pieces=[p for p in pieces if p.key == key],
        )
        for key in keys
    ]


def evidence_waiting(cohort: Cohort, user) -> QuerySet[Evidence]:
    """Evidence in the cohort waiting for an assessor, oldest first (never the viewer's own)."""
    return (
        Evidence.objects.filter(
            application__cohort_id=cohort.pk,
            application__status=Application.Status.ACCEPTED,
            status=Evidence.Status.SUBMITTED,
        )
        .exclude(application__person__user_id=user.pk)
        .select_related("application", "application__person")
        .order_by("submitted_at", "pk")
    )


@dataclass
class ParticipantProgress:
    application: Application
    present: int
    signed_off: int
    required: int
    ready: bool


def cohort_progress(cohort: Cohort, *, now=None) -> tuple[list[ParticipantProgress], int]:
    """Each participant's attendance and signed-off evidence, and the number of sessions held so far
    (three queries, whatever the size of the cohort)."""
    now = now or timezone.now()
    started = Session.objects.filter(cohort_id=cohort.pk, cancelled=False, starts_at__lte=now)
    held = started.count()
    required = list(cohort.programme.evidence_attributes)
    applications = (
        Application.objects.filter(cohort_id=cohort.pk, status__in=PORTFOLIO_STATUSES)
        .select_related("person")
        .annotate(
            present=Count(
                "attendance",
                filter=Q(attendance__status=Attendance.Status.PRESENT, attendance__session__in=started),
                distinct=True,
            )
        )
        .order_by("person__last_name", "person__first_name", "pk")
    )
    pairs = set(
        Evidence.objects.filter(
            application__cohort_id=cohort.pk, status=Evidence.Status.SIGNED_OFF, key__in=required
        ).values_list("application_id", "key")
    )
    minimum = cohort.programme.min_attendance_percent
    rows = []
    for application in applications:
        signed_off = sum(1 for key in required if (application.pk, key) in pairs)
        attended = AttendanceSoFar(started=held, present=application.present, required_percent=minimum)
        rows.append(
            ParticipantProgress(
                application=application,
                present=application.present,
                signed_off=signed_off,
                required=len(required),
                ready=application.status == Application.Status.ACCEPTED
                and attended.met
                and signed_off == len(required),
            )
        )
    return rows, held


# -- emails ---------------------------------------------------------------------------------------


def _link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _email_participant_assessed(evidence_id: int) -> None:
    evidence = Evidence.objects.select_related("application__person", "application__cohort__programme").get(
        pk=evidence_id
    )
    person = evidence.application.person
    if not person.email:
        return
    programme = evidence.application.cohort.programme
    if evidence.status == Evidence.Status.SIGNED_OFF:
        subject = f"Your evidence is signed off: {programme.title}"
        body = f"Your evidence \u201c{evidence.title}\u201d has been signed off."
    else:
        subject = f"More evidence needed: {programme.title}"
        body = f"Your assessor asks for more on \u201c{evidence.title}\u201d."
    note = f"\n\nTheir note:\n{evidence.assessor_note}" if evidence.assessor_note else ""
    send_mail(
        subject,
        f"Hello {person.first_name},\n\n{body}{note}\n\nSee it in your portfolio:\n"
        f"{_link('programmes:evidence', evidence.pk)}\n",
        None,
        [person.email],
    )
