"""People, departments, service centres and the roles that scope what staff see and decide."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from onewindow.accounts.constants import ApplicantKind, CentreKind, DepartmentKind, StaffRole


class User(AbstractUser):
    """A login. Staff carry `StaffAssignment`s; applicants own `Applicant` profiles."""

    phone = models.CharField("手机 Phone", max_length=20, blank=True)

    class Meta:
        verbose_name = "用户 User"
        verbose_name_plural = "用户 Users"


class Department(models.Model):
    code = models.SlugField("代码 Code", max_length=40, unique=True)
    name_zh = models.CharField("名称 Name (zh)", max_length=100)
    name_en = models.CharField("名称 Name (en)", max_length=150)
    kind = models.CharField(
        "类别 Kind",
        max_length=20,
        choices=DepartmentKind.choices,
        default=DepartmentKind.GOVERNMENT,
    )

    class Meta:
        verbose_name = "部门 Department"
        verbose_name_plural = "部门 Departments"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name_zh} {self.name_en}"


class ServiceCentre(models.Model):
    """A physical service hall (政务服务中心). `jurisdiction_code` is the area it decides for:
    a GB/T 2260 code, or a platform zone code for Wuhan's functional zones."""

    code = models.SlugField("代码 Code", max_length=40, unique=True)
    name_zh = models.CharField("名称 Name (zh)", max_length=100)
    name_en = models.CharField("名称 Name (en)", max_length=150)
    kind = models.CharField("级别 Kind", max_length=20, choices=CentreKind.choices)
    city_code = models.CharField("所属城市 City code", max_length=6)
    jurisdiction_code = models.CharField("管辖区域 Jurisdiction code", max_length=20, db_index=True)
    address = models.CharField("地址 Address", max_length=200, blank=True)
    position = models.PositiveIntegerField("排序 Position", default=0)

    class Meta:
        verbose_name = "政务服务中心 Service centre"
        verbose_name_plural = "政务服务中心 Service centres"
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name_zh


class StaffAssignment(models.Model):
    """One role of one staff member at one centre, for one jurisdiction."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    centre = models.ForeignKey(ServiceCentre, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField("角色 Role", max_length=20, choices=StaffRole.choices)
    jurisdiction_code = models.CharField("管辖区域 Jurisdiction code", max_length=20)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )

    class Meta:
        verbose_name = "岗位 Staff assignment"
        verbose_name_plural = "岗位 Staff assignments"
        constraints = [
            models.UniqueConstraint(fields=["user", "centre", "role"], name="unique_staff_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.centre.code} ({self.role})"


class Applicant(models.Model):
    """A natural person or a company that applies; owned by the user account that acts for it."""

    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="applicants")
    kind = models.CharField("类别 Kind", max_length=10, choices=ApplicantKind.choices)
    name = models.CharField("名称 Name", max_length=150)
    resident_id = models.CharField("公民身份号码 Resident ID", max_length=18, blank=True)
    uscc = models.CharField("统一社会信用代码 USCC", max_length=18, blank=True)
    phone = models.CharField("联系电话 Phone", max_length=20, blank=True)
    email = models.EmailField("电子邮箱 E-mail", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "申请人 Applicant"
        verbose_name_plural = "申请人 Applicants"
        constraints = [
            models.UniqueConstraint(
                fields=["resident_id"],
                condition=~models.Q(resident_id=""),
                name="unique_applicant_resident_id",
            ),
            models.UniqueConstraint(
                fields=["uscc"],
                condition=~models.Q(uscc=""),
                name="unique_applicant_uscc",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LoginFailure(models.Model):
    """A failed login, kept for rate limiting by user name and by client address."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} @ {self.address}"
