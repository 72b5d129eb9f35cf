from django.db import models


class ItemLevel(models.TextChoices):
    PROVINCE = "province", "省级 Province"
    CITY = "city", "市级 City"
    DISTRICT = "district", "区级 District"
