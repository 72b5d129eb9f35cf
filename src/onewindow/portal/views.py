"""Portal pages. Every write goes through a service; errors are shown in the user's language."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from onewindow.accounts.models import ServiceCentre, User
from onewindow.accounts.selectors import applicants_of, find_applicant, staff_scope
from onewindow.cases import selectors, services
from onewindow.cases.constants import CaseEventName, CaseStatus, DeliveryMethod
from onewindow.cases.materials import IncomingMaterial, open_stored, read_capped
from onewindow.catalog.selectors import active_items, item_by_code
from onewindow.core.errors import DomainError
from onewindow.portal.forms import fields_of, form_data_from
from onewindow.portal.templatetags.onewindow import is_english

PAGE_SIZE = 20


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _error(exc: DomainError) -> dict[str, Any]:
    return {
        "code": exc.code,
        "message": exc.message_en if is_english() else exc.message_zh,
        "details": exc.details,
    }


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"items": active_items()})


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"next": request.GET.get("next", "")}
    if request.method == "POST":
        username = request.POST.get("username", "")[:150]
        user = authenticate(request, username=username, password=request.POST.get("password", ""))
        if user is None:
            exc = getattr(request, "login_refusal", None) or DomainError(
                "auth.invalid", "用户名或密码错误", "Wrong user name or password", status=401
            )
            context["error"] = _error(exc)
            return render(request, "portal/login.html", context, status=exc.status)
        login(request, user)
        target = request.POST.get("next") or reverse("portal:cases")
        if not target.startswith("/") or target.startswith("//"):
            target = reverse("portal:cases")
        return HttpResponseRedirect(target)
    return render(request, "portal/login.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:home")


def _calendar_warning() -> int | None:
    """Days of working-day calendar left, when few enough that staff should know."""
    from onewindow.core.checks import WARN_DAYS, days_left

    left = days_left()
    return left if left is not None and left < WARN_DAYS else None


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    scope = staff_scope(user)
    to_decide = request.GET.get("view") == "decide"
    status = request.GET.get("status") or None
    if status not in CaseStatus.values:
        status = None
    if scope.is_staff:
        cases = selectors.staff_inbox(user, status=status, to_decide=to_decide)
    else:
        cases = selectors.applicant_cases(user)
        if status:
            cases = cases.filter(status=status)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/case_list.html",
        {
            "page": page,
            "is_staff": scope.is_staff,
            "calendar_days_left": _calendar_warning() if scope.is_staff else None,
            "to_decide": to_decide,
            "status": status,
            "statuses": CaseStatus.choices,
            "centres": ServiceCentre.objects.filter(pk__in=scope.centre_ids).order_by("code"),
        },
    )


@login_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    try:
        case = selectors.case_for(user, number)
    except DomainError as exc:
        return render(request, "portal/error.html", {"error": _error(exc)}, status=exc.status)
    return render(
        request,
        "portal/case_detail.html",
        {
            "case": case,
            "fields": fields_of(case.service_item.form_schema, case.form_data),
            "event_labels": dict(CaseEventName.choices),
            "timeline": selectors.timeline(case),
            "materials": selectors.current_materials(case),
            "transitions": selectors.allowed_transitions(user, case),
            "error": request.session.pop("case_error", None),
            "notice": request.session.pop("case_notice", None),
        },
    )


# action -> (service, extra keyword arguments read from the posted form)
ACTIONS: dict[str, tuple[Any, Any]] = {
    "accept": (services.accept_case, lambda post: {}),
    "return": (services.return_case, lambda post: {"points": post.get("points", "").splitlines()}),
    "approve": (services.approve_case, lambda post: {}),
    "reject": (services.reject_case, lambda post: {}),
    "deliver": (
        services.record_delivery,
        lambda post: {"tracking_number": post.get("tracking_number", "")},
    ),
}


@login_required
@require_POST
def case_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    user = _user(request)
    try:
        selectors.case_for(user, number)
        if action == "resubmit":
            services.resubmit_case(
                actor=user,
                number=number,
                reason=request.POST.get("reason", ""),
                materials=_uploads(request),
            )
        elif action in ACTIONS:
            service, extra = ACTIONS[action]
            version = request.POST.get("version", "")
            service(
                actor=user,
                number=number,
                reason=request.POST.get("reason", ""),
                expected_version=int(version) if version.isdigit() else None,
                **extra(request.POST),
            )
        else:
            raise DomainError("case.unknown_action", "未知操作", "Unknown action", status=404)
    except DomainError as exc:
        request.session["case_error"] = _error(exc)
    else:
        request.session["case_notice"] = action
    return redirect("portal:case", number=number)


def _uploads(request: HttpRequest) -> list[IncomingMaterial]:
    out = []
    for key in request.FILES:
        if key.startswith("material-"):
            upload = cast(UploadedFile, request.FILES[key])
            name = upload.name or key
            out.append(
                IncomingMaterial(key.removeprefix("material-"), name, read_capped(upload, name))
            )
    return out


@login_required
def apply_start(request: HttpRequest) -> HttpResponse:
    scope = staff_scope(_user(request))
    return render(
        request, "portal/apply_start.html", {"items": active_items(), "is_staff": scope.is_staff}
    )


def _intake_centres(user: User) -> list[ServiceCentre]:
    return list(
        ServiceCentre.objects.filter(staff__user=user, staff__role__in=services.INTAKE_ROLES)
        .distinct()
        .order_by("code")
    )


def _submit_from_post(
    request: HttpRequest, item: Any, user: User, centres: list[ServiceCentre]
) -> str:
    post = request.POST
    centre = None
    if centres:
        centre = next((c for c in centres if c.code == post.get("intake_centre")), None)
        if centre is None:
            raise DomainError(
                "case.intake_centre_required",
                "请选择收件服务中心",
                "Choose the intake service centre",
                status=422,
            )
        identity = post.get("applicant_identity", "").strip().upper()
        applicant = (
            find_applicant(resident_id=identity)
            if len(identity) == 18 and identity[:17].isdigit()
            else find_applicant(uscc=identity)
        )
        if applicant is None:
            raise DomainError(
                "applicant.not_found",
                "未找到该证件号码对应的申请人",
                "No applicant is registered with this ID number or USCC",
                status=422,
            )
    else:
        applicant = applicants_of(user).filter(pk=post.get("applicant") or 0).first()
        if applicant is None:
            raise DomainError(
                "applicant.not_found", "请选择申请人", "Choose an applicant", status=422
            )
    case = services.submit_case(
        actor=user,
        reason=post.get("reason") or "提交申请 / application submitted",
        item=item,
        applicant=applicant,
        form_data=form_data_from(item.form_schema, post),
        registered_address=post.get("registered_address", ""),
        materials=_uploads(request),
        delivery_method=post.get("delivery_method", ""),
        delivery_address=post.get("delivery_address", ""),
        intake_centre=centre,
    )
    return case.number


@login_required
@require_http_methods(["GET", "POST"])
def apply_form(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    try:
        item = item_by_code(code)
    except DomainError as exc:
        return render(request, "portal/error.html", {"error": _error(exc)}, status=exc.status)
    centres = _intake_centres(user)
    context: dict[str, Any] = {
        "item": item,
        "centres": centres,
        "applicants": applicants_of(user),
        "requirements": item.requirements.select_related("material_type"),
        "delivery_methods": DeliveryMethod.choices,
        "post": request.POST,
    }
    if request.method == "POST":
        try:
            number = _submit_from_post(request, item, user, centres)
        except DomainError as exc:
            context["error"] = _error(exc)
            context["fields"] = fields_of(
                item.form_schema, form_data_from(item.form_schema, request.POST)
            )
            return render(request, "portal/apply_form.html", context, status=exc.status)
        request.session["case_notice"] = "submitted"
        return redirect("portal:case", number=number)
    context["fields"] = fields_of(item.form_schema)
    if not centres and not context["applicants"].exists():
        context["error"] = {
            "code": "applicant.none",
            "message": "您的账户下还没有申请人"
            if not is_english()
            else "Your account has no applicant yet",
        }
    return render(request, "portal/apply_form.html", context)


@login_required
def material_download(request: HttpRequest, number: str, material_id: int) -> HttpResponseBase:
    """A current material of a case the user may see; served as an attachment, never inline."""
    user = _user(request)
    try:
        case = selectors.case_for(user, number)
    except DomainError as exc:
        return render(request, "portal/error.html", {"error": _error(exc)}, status=exc.status)
    material = selectors.current_materials(case).filter(pk=material_id).first()
    if material is None:
        missing = DomainError("material.not_found", "未找到该材料", "No such material", status=404)
        return render(request, "portal/error.html", {"error": _error(missing)}, status=404)
    response = FileResponse(
        open_stored(material.storage_name),
        as_attachment=True,
        filename=material.original_name,
        content_type=material.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
