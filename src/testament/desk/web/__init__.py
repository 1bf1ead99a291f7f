"""The desk's web workspace (``testament desk serve``): server-rendered pages, no JavaScript.

Accounts and the confidentiality rule are library code beside it (``desk.accounts``,
``desk.access``, ``desk.inbox``, ``desk.viewing``); this package is the Starlette shell over
them: ``create_app(settings)`` in ``app``, sessions and CSRF in ``sessions`` and ``guards``,
pages in ``auth_pages`` and ``reading_pages``, templates and the Russian catalog beside them.
"""

from testament.desk.web.app import create_app
from testament.desk.web.settings import DeskWebSettings

__all__ = ["DeskWebSettings", "create_app"]
