"""The WSGI entry point for production: `gunicorn generator.web.wsgi:app` (see the README's hosting section).

The app is configured from the SOLIDARITY_* environment variables (generator/web/hosting.py).
"""

from generator.web.app import create_app
from generator.web.hosting import HostingConfig

app = create_app(hosting=HostingConfig.from_environment())
