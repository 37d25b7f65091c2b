"""WSGI entry point, used by gunicorn: `gunicorn lyonassos.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lyonassos.settings")

application = get_wsgi_application()
