"""Importing a framework file in the browser: upload, preview, then confirm or cancel.

Reading the file writes nothing. The file waits for the confirm step in the user's session when it
is small, or else in Django's file storage under framework-imports/ with its name in the session.
The preview and the confirm step both read and plan the file again, so what is written is what
the file says now, never a stale plan. A file is imported once: the confirm step claims it (an
atomic `cache.add`) and removes it before writing, so a second confirm finds it gone."""

import base64
import secrets
from datetime import timedelta

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cadre.core.errors import ValidationError
from cadre.core.models import Organisation
from cadre.frameworks.editing import forms, selectors
from cadre.frameworks.interchange import framework_import, plan_import
from cadre.frameworks.interchange.common import MAX_BYTES, check_size, decode, detect_format, load_structured

SESSION_KEY = "framework_imports"
FINISHED_KEY = "framework_imports_finished"  # tokens imported or cancelled, so a second try is told so
FINISHED_KEPT = 20
SESSION_LIMIT = 256 * 1024  # larger files wait in file storage, not in the session
STORAGE_DIR = "framework-imports"
CLAIM_SECONDS = 24 * 3600

FORMAT_CHOICES = [
    ("auto", "Work it out from the file"),
    ("cadre", "Cadre's framework format (YAML or JSON)"),
    ("csv", "CSV, one row per behaviour indicator"),
    ("case", "1EdTech CASE 1.0 JSON package"),
]
FORMAT_NAMES = {
    "cadre": "Cadre's framework format",
    "csv": "CSV, one row per behaviour indicator",
    "case": "1EdTech CASE 1.0 package",
}


class ImportForm(forms.GovukForm):
    organisation = django_forms.TypedChoiceField(label="Organisation", coerce=int, widget=django_forms.RadioSelect)
    file = django_forms.FileField(
        label="Framework file",
        help_text="Cadre's framework format (.yaml or .json), a CSV with one row per behaviour indicator, "
        "or a CASE 1.0 JSON package. The largest file Cadre imports is 5 MB.",
        widget=django_forms.FileInput(attrs={"accept": ".yaml,.yml,.json,.csv"}),
        error_messages={"required": "Choose the framework file to import.", "empty": "The file is empty."},
    )
    format = django_forms.ChoiceField(
        label="What kind of file it is",
        choices=FORMAT_CHOICES,
        initial="auto",
        widget=django_forms.RadioSelect,
        error_messages={"required": "Choose what kind of file it is.", "invalid_choice": "Choose a kind of file."},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self._organisations = {o.pk: o for o in organisations}
        if len(organisations) == 1:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
            self.fields["organisation"].error_messages["required"] = "Choose the organisation it will belong to."

    def chosen_organisation(self) -> Organisation:
        if "organisation" not in self.fields:
            return next(iter(self._organisations.values()))
        return self._organisations[self.cleaned_data["organisation"]]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise django_forms.ValidationError(
                f"The file is {upload.size / (1024 * 1024):.1f} MB. The largest framework file Cadre imports is 5 MB."
            )
        return upload


def _organisations(user) -> list[Organisation]:
    organisations = list(
        Organisation.objects.filter(pk__in=selectors.organisations_editing_frameworks(user)).order_by("name")
    )
    if not organisations:
        raise Http404("You do not edit frameworks.")
    return organisations


def _check_readable(data: bytes, *, filename: str, format: str) -> None:
    """Refuse, before anything is stored, a file that is too large, empty or not text in a format
    Cadre reads (YAML, JSON or CSV). Problems with what the file says are for the preview."""
    check_size(data)
    if format == "auto":
        format = detect_format(data, filename)
    if format == "csv":
        decode(data)
    else:
        load_structured(data)


# -- the file waiting for the confirm step ----------------------------------------------------


def _store(request, *, data: bytes, filename: str, format: str, organisation: Organisation) -> str:
    token = secrets.token_urlsafe(16)
    entry = {"filename": filename, "format": format, "organisation": organisation.pk}
    if len(data) <= SESSION_LIMIT:
        entry["data"] = base64.b64encode(data).decode("ascii")
    else:
        _sweep()
        entry["stored"] = default_storage.save(f"{STORAGE_DIR}/{secrets.token_hex(16)}.bin", ContentFile(data))
    pending = dict(request.session.get(SESSION_KEY) or {})
    pending[token] = entry
    request.session[SESSION_KEY] = pending
    return token


def _sweep() -> None:
    """Remove files left waiting longer than a session lasts (their sessions have ended)."""
    try:
        _folders, names = default_storage.listdir(STORAGE_DIR)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    for name in names:
        path = f"{STORAGE_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except FileNotFoundError:
            continue


def _entry(request, token: str) -> dict | None:
    return (request.session.get(SESSION_KEY) or {}).get(token)


def _read(entry: dict) -> bytes | None:
    if "data" in entry:
        return base64.b64decode(entry["data"])
    try:
        with default_storage.open(entry["stored"], "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _discard(request, token: str) -> None:
    pending = dict(request.session.get(SESSION_KEY) or {})
    entry = pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    request.session[FINISHED_KEY] = [*(request.session.get(FINISHED_KEY) or []), token][-FINISHED_KEPT:]
    if entry and "stored" in entry:
        default_storage.delete(entry["stored"])


def _gone(request, token: str):
    """The file was imported or cancelled in this session: say so. Any other token is a 404."""
    if token not in (request.session.get(FINISHED_KEY) or []):
        raise Http404("No such import.")
    messages.error(
        request,
        "That file is no longer waiting to be imported: it has already been imported or cancelled. "
        "Upload it again to import it.",
    )
    return redirect("framework_editing:import_upload")


def _organisation_of(request, entry: dict) -> Organisation:
    """The organisation the file is for, while the user still edits its frameworks; else a 404."""
    organisation = next((o for o in _organisations(request.user) if o.pk == entry["organisation"]), None)
    if organisation is None:
        raise Http404("No such import.")
    return organisation


# -- pages ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    organisations = _organisations(request.user)
    bound = request.method == "POST"
    form = ImportForm(request.POST if bound else None, request.FILES if bound else None, organisations=organisations)
    if bound and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            _check_readable(data, filename=upload.name, format=form.cleaned_data["format"])
        except ValidationError as error:
            for problem in error.problems:
                form.add_error("file", str(problem))
        else:
            token = _store(
                request,
                data=data,
                filename=upload.name,
                format=form.cleaned_data["format"],
                organisation=form.chosen_organisation(),
            )
            return redirect("framework_editing:import_preview", token)
    return render(request, "frameworks/editing/import_upload.html", {"form": form})


def _versions(plan) -> list[dict]:
    versions = (plan.document or {}).get("versions") or []
    return [
        {
            "number": v.get("number"),
            "status": v.get("status") or "draft",
            "attributes": len(v.get("attributes") or []),
            "tiers": len(v.get("tiers") or []),
            "indicators": len(v.get("indicators") or []),
            "values": len(v.get("values") or []),
            "channels": len(v.get("channels") or []),
            "definitions": len(v.get("definitions") or []),
            "mappings": len(v.get("attribute_mappings") or []),
        }
        for v in versions
        if isinstance(v, dict)
    ]


def _preview(request, *, token: str, entry: dict, organisation: Organisation, plan, pending: bool = True):
    return render(
        request,
        "frameworks/editing/import_preview.html",
        {
            "token": token,
            "filename": entry["filename"],
            "organisation": organisation,
            "plan": plan,
            "format_name": FORMAT_NAMES.get(plan.format, plan.format),
            "framework": (plan.document or {}).get("framework") if plan.ok else None,
            "versions": _versions(plan) if plan.ok else [],
            "errors": [{"text": str(p)} for p in plan.problems],
            "pending": pending,
        },
    )


@login_required
def import_preview(request, token: str):
    entry = _entry(request, token)
    if entry is None:
        return _gone(request, token)
    organisation = _organisation_of(request, entry)
    data = _read(entry)
    if data is None:
        _discard(request, token)
        return _gone(request, token)
    plan = plan_import(data=data, filename=entry["filename"], format=entry["format"], organisation=organisation)
    return _preview(request, token=token, entry=entry, organisation=organisation, plan=plan)


@login_required
@require_POST
def import_confirm(request, token: str):
    entry = _entry(request, token)
    if entry is None:
        return _gone(request, token)
    organisation = _organisation_of(request, entry)
    if not cache.add(f"framework-import:{request.session.session_key}:{token}", True, CLAIM_SECONDS):
        return _gone(request, token)  # another confirm of the same file got here first
    data = _read(entry)
    _discard(request, token)
    if data is None:
        return _gone(request, token)
    plan = plan_import(data=data, filename=entry["filename"], format=entry["format"], organisation=organisation)
    if plan.ok:
        try:
            framework = framework_import(plan=plan, organisation=organisation, actor=request.user)
        except ValidationError as error:
            plan.problems = list(error.problems)
        else:
            messages.success(request, f"{framework.name} imported from {entry['filename']}.")
            return redirect("framework_editing:framework", framework.pk)
    # Refused now (it may have changed, or a framework with its slug was made meanwhile): say why.
    return _preview(request, token=token, entry=entry, organisation=organisation, plan=plan, pending=False)


@login_required
@require_POST
def import_cancel(request, token: str):
    entry = _entry(request, token)
    if entry is None:
        return _gone(request, token)
    _organisation_of(request, entry)
    _discard(request, token)
    messages.success(request, "The import was cancelled. Nothing was saved.")
    return redirect("framework_editing:list")
