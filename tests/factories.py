"""factory_boy factories for the shared test world."""

import factory

from corridors.models import Building, BuildingGroup, Compound, Department, District, Neighbourhood, Street, User

PASSWORD = "Test-pass-2026"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("name",)

    name = "杨浦区"


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Street

    name = factory.Sequence(lambda n: f"测试街道{n}")
    district = factory.SubFactory(DistrictFactory)


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood

    street = factory.SubFactory(StreetFactory)
    name = factory.Sequence(lambda n: f"居民区{n}")
    committee_name = factory.LazyAttribute(lambda o: f"{o.name}居委会")


class CompoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Compound

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    name = factory.Sequence(lambda n: f"小区{n}")


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    compound = factory.SubFactory(CompoundFactory)
    name = factory.Sequence(lambda n: f"{n}号")
    floors = 6
    households = 24
    elevators = 0
    year_built = 1980


class BuildingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuildingGroup

    building = factory.SubFactory(BuildingFactory)
    name = factory.Sequence(lambda n: f"{n}单元")
    households = 12


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    street = factory.SubFactory(StreetFactory)
    name = factory.Sequence(lambda n: f"部门{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"张{n}")
    phone = "13812341234"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def pdf_bytes(**catalog) -> bytes:
    """A real one-page PDF (what a scanner or "print to PDF" makes); ``catalog`` adds entries to
    its catalogue, e.g. ``OpenAction={"/S": "/JavaScript", "/JS": "app.alert(1)"}``."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    def pdf_value(value):
        if isinstance(value, dict):
            return DictionaryObject({NameObject(k): pdf_value(v) for k, v in value.items()})
        if isinstance(value, str) and value.startswith("/"):
            return NameObject(value)
        return TextStringObject(value)

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    for key, value in catalog.items():
        writer._root_object[NameObject(f"/{key}")] = pdf_value(value)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = pdf_bytes()


def totp_code(user, device=None) -> str:
    """The code the person's authenticator app shows now (as a phone would compute it).

    A code already used in this 30-second step is not accepted twice, so after a sign-in in
    the same step this gives the next step's code (accepted too, one step of tolerance).
    """
    import time

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = device or TOTPDevice.objects.filter(user=user).order_by("-confirmed", "-pk").first()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t >= totp.t():
        totp.time = time.time() + device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"
