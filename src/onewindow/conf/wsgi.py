"""The WSGI application: Django, with the public certificate verification API answered by a
lean path in front of it (`onewindow.certificates.fastpath`; every other request, and the
route's documentation, stay Django's). `django_application` is Django alone."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.conf.settings")
django_application = get_wsgi_application()

# Imported once Django is set up: the fast path uses its models and settings.
from onewindow.certificates.fastpath import with_fast_verification  # noqa: E402

application = with_fast_verification(django_application)
