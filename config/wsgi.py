import os

from django.core.wsgi import get_wsgi_application

from giamngheo.core.private import private_umask

private_umask()  # under any WSGI server too: files the app creates are the service user's only

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
