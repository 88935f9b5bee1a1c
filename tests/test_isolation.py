"""The access-leak test: a department user must never see another department's data.

It walks EVERY URL pattern and API route (new ones are picked up automatically) as the liaison of
department A while department B holds records of every scoped model, each carrying a marker
string. List pages must not show the marker; object routes for B's records must answer 403/404 to
GET and POST. Each app's ``tests/leak.py`` has ``populate(department, user, marker)``, which creates
one record of each of its models for ``department``.
"""

import importlib

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lvzhi.core.models import Model
from lvzhi.core.roles import Role
from lvzhi.core.scoping import Scope, get_scope
from lvzhi.testing import login, make_department, make_user

MARKER = "泄漏探针乙"

# Routes whose parameters are not a record of another department, with the reason.
NOT_RECORD_ROUTES = {
    "api-root": "router index",
}
# The public site is the same for everyone, signed in or not, and shows every department's current
# 三定 by design; lvzhi/duties/tests/test_public.py checks that it shows nothing unpublished.
PUBLIC_NAMESPACE = "public:"
# Models not tied to a department, with the reason they are not in the walk's coverage check.
UNSCOPED_MODELS = {
    "org.Region": "the region's name is public and shared by everyone",
}


def populate_world(b_name=f"{MARKER}局"):
    dept_a = make_department("LEAKA", "甲局")
    dept_b = make_department("LEAKB", b_name)
    user_a = make_user("leak_a", Role.DEPARTMENT, department=dept_a)
    user_b = make_user("leak_b", Role.DEPARTMENT, department=dept_b)
    for app in apps.get_app_configs():
        if not app.name.startswith("lvzhi."):
            continue
        try:
            module = importlib.import_module(f"{app.name}.tests.leak")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app.name}.tests.leak":
                raise
            continue
        module.populate(dept_a, user_a, "甲的记录")
        module.populate(dept_b, user_b, MARKER)
    return dept_a, dept_b, user_a, user_b


def walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            params = list(getattr(p.pattern, "converters", {}).keys()) or list(p.pattern.regex.groupindex)
            yield f"{namespace}{p.name}", p.callback, params


def view_model(callback):
    cls = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if cls is None:
        return None
    # ``url_model``: the model the URL's parameters identify, when it differs from ``model``.
    model = getattr(cls, "url_model", None) or getattr(cls, "model", None)
    if model is None and getattr(cls, "queryset", None) is not None:
        model = cls.queryset.model
    return model


def routes():
    return list(walk(get_resolver().url_patterns))


@pytest.fixture
def world(db):
    return populate_world()


def test_every_scoped_model_has_a_record_of_department_b(world):
    dept_a, dept_b, user_a, user_b = world
    missing = []
    for model in apps.get_models():
        if not issubclass(model, Model) or model._meta.label in UNSCOPED_MODELS:
            continue
        theirs = model.objects.visible_to(user_b)
        mine = set(model.objects.visible_to(user_a).values_list("pk", flat=True))
        if not [pk for pk in theirs.values_list("pk", flat=True) if pk not in mine]:
            missing.append(model._meta.label)
    assert not missing, f"add records of these models to the app's tests/leak.py populate(): {missing}"


def test_department_user_sees_no_other_department_data_on_any_route(client, world):
    dept_a, dept_b, user_a, user_b = world
    login(client, user_a)
    problems = leaks(client, user_a, user_b)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_oversight_user_sees_nothing_not_shared_with_its_body_on_any_route(client):
    """Department B's records are shared with 审计 only (see problems/tests/leak.py): a 巡察 liaison
    sees none of them. B's name carries no marker, because the department directory is open to
    oversight bodies (they file clues against departments)."""
    dept_a, dept_b, user_a, user_b = populate_world(b_name="乙局")
    tour = make_user("leak_tour", Role.OVERSIGHT, body="tour")
    login(client, tour)
    problems = leaks(client, tour, user_b)
    assert not problems, "\n".join(problems)


def leaks(client, viewer, user_b):
    """Walk every route as ``viewer`` (signed in on ``client``): list pages must not show the marker,
    and routes to user B's records that ``viewer`` may not see must answer 403/404/405."""
    problems = []
    for name, callback, params in routes():
        if name in NOT_RECORD_ROUTES or name.startswith(PUBLIC_NAMESPACE):
            continue
        params = [p for p in params if p != "format"]
        if not params:
            url = reverse(name, kwargs={"format": "json"}) if "format" in (get_params(name)) else reverse(name)
            response = client.get(url)
            if response.status_code >= 500:
                problems.append(f"{url}: server error {response.status_code}")
            elif MARKER in body_text(response):
                problems.append(f"{url}: shows department B's data")
            continue
        model = view_model(callback)
        if model is None:
            problems.append(f"{name}: cannot tell which record it shows; set `model` on the view")
            continue
        if issubclass(model, Model):
            obj = model._base_manager.filter(pk__in=model.objects.visible_to(user_b).values("pk")).exclude(
                pk__in=model.objects.visible_to(viewer).values("pk")).first()
            if obj is None and model.objects.visible_to(user_b).exists() and get_scope(viewer).department_ids:
                problems.append(f"{name}: no record of {model._meta.label} belongs to department B only")
                continue
        else:
            obj = other_record(model, user_b)
            if obj is None:
                problems.append(f"{name}: no record of {model._meta.label} belongs to department B only")
                continue
        if obj is None:
            continue  # everything of B's this route shows is open to ``viewer`` by design (the directory)
        kwargs = {p: (obj.pk if p in {"pk", "id"} else getattr(obj, p)) for p in params}
        if "format" in get_params(name):
            kwargs["format"] = "json"
        url = reverse(name, kwargs=kwargs)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code not in (403, 404, 405):
                problems.append(f"{method.upper()} {url}: status {response.status_code} for department B's record")
    return problems


def body_text(response):
    """The text a user would see: HTML/JSON/CSV as text, XLSX cells and DOCX paragraphs opened."""
    import io

    data = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)
    if "wordprocessingml" in kind:
        from docx import Document

        doc = Document(io.BytesIO(data))
        cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in doc.paragraphs] + cells)
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def get_params(name):
    for n, callback, params in routes():
        if n == name:
            return params
    return []


def other_record(model, user_b):
    """Per-user (not department-scoped) records: user B, or B's notifications, jobs, files."""
    if model is type(user_b):
        return user_b
    for field in ("recipient", "created_by", "uploaded_by"):
        if any(f.name == field for f in model._meta.get_fields()):
            return model._base_manager.filter(**{field: user_b}).first()
    return None


def test_department_user_cannot_change_own_department_definition(client, world):
    dept_a, dept_b, user_a, user_b = world
    login(client, user_a)
    assert client.get(reverse("org:department-edit", args=[dept_a.code])).status_code == 403
    assert client.get(reverse("org:department", args=[dept_a.code])).status_code == 200


@pytest.mark.parametrize("role", [Role.HOTLINE, Role.OVERSIGHT])
def test_non_department_roles_never_see_staffing_or_mandates_of_departments(client, world, role):
    dept_a, dept_b, user_a, user_b = world
    user = make_user(f"leak_{role}", role, body="audit" if role == Role.OVERSIGHT else "")
    scope = get_scope(user)
    assert isinstance(scope, Scope)
    from lvzhi.org.models import Mandate, StaffingActual

    assert not Mandate.objects.visible_to(user).exists()
    assert not StaffingActual.objects.visible_to(user).exists()
