from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "onewindow.certificates"
    label = "certificates"
