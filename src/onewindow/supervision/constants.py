"""Choices of the supervision app."""

from django.db import models


class CommitmentStatus(models.TextChoices):
    OPEN = "open", "待补交 Open"
    FULFILLED = "fulfilled", "已履行 Fulfilled"
    REVOKED = "revoked", "逾期撤销 Revoked (deadline missed)"


# How far a live photo's capture may lie from its upload, and from the site it shows.
PHOTO_MAX_AGE_SECONDS = 30 * 60
PHOTO_CLOCK_SKEW_SECONDS = 120
PHOTO_MAX_DISTANCE_METRES = 300.0
PHOTO_MAX_BYTES = 10 * 1024 * 1024
