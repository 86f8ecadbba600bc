"""The supporters' web page (`solidarity serve`): the same posts as `solidarity make`, for people who never
open a terminal. Import it only when serving: it imports Flask.

  app.py      the app factory `create_app`: configuration, the request class, error handlers
  security.py which hosts and origins are answered; the security headers
  views.py    the page and its endpoints, as a blueprint
  form.py     the form's fields as the library's `PostRequest`
  answers.py  what the endpoints send back: previews, posts, thumbnails, the page's options
  failures.py errors as the page shows them (JSON for scripts, a page for people)
  language.py the page's language from the request; the gettext catalogues (translations/)
  words.py    the page's words in that language, and the library's errors in the form's words
  serving.py  `serve`: the local server, its socket and its messages
"""

from generator.web.app import create_app
from generator.web.serving import serve

__all__ = ["create_app", "serve"]
