"""The analyst workbench: a FastAPI server with Jinja2 pages and a JSON API over the store and the signal store.

``web.app.create_app(config)`` builds the application; ``npswatch serve`` runs it (``npswatch/cli/web.py``).
Modules: ``config`` (the settings it reads from the environment), ``accounts`` (users, sessions, API tokens, login
attempts), ``auth`` (who is asking and what their role lets them do, CSRF), ``views`` (what every page and API
answer shows, built once for both), ``api`` and ``pages`` (the routes), ``evidence`` (archived pages made inert),
``charts`` (server-rendered SVG), ``privacy`` (what researchers see), ``highlight`` (extraction marks in the text).
Layering: ``web`` reads ``storage``, ``signals``, ``exports``, ``crawlers`` (WARC reading) and ``health``; it never
imports the CLI or the scheduler.  docs/web.md says how to run it and what it protects.
"""
