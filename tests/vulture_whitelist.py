"""What vulture cannot see used, beyond what ``[tool.vulture]`` in pyproject.toml ignores by name
or decorator: attributes a library reads off our classes and objects, and fields only a template
or a JSON file reads. vulture reads this file with the code (``make revisar``); nothing imports it.
Each entry names who reads it; when its code goes, its entry goes too."""

from vulture.whitelist_utils import Whitelist

_ = Whitelist()

# Flask and Werkzeug read these off the app, the request and the session interface.
_.json_provider_class  # mock_site/__init__.py: AspelFlask
_.request_class  # mock_site/__init__.py: AspelFlask
_.jinja_options  # mock_site/__init__.py: AspelFlask, its environment's bytecode cache
_.url_rule_class  # mock_site/__init__.py: AspelFlask, its rules share their URL builders
_.form_data_parser_class  # mock_site/csrf_protection.py: SiteRequest
_.get_cookie_secure  # mock_site/cookies.py: the session interface
_.permanent  # mock_site/auth.py: session.permanent
# Jinja asks its bytecode cache for a template's code and hands it new code (mock_site/__init__.py).
_.load_bytecode
_.dump_bytecode
# itsdangerous asks the serializer for the time (mock_site/recovery.py: the site's clock).
_.get_timestamp
# waitress builds its channels and tasks from these (mock_site/wsgi_server.py).
_.task_class
_.error_task_class
_.channel_class
_.parser_class  # SiteChannel: the parser each request is read with
_.completed  # SiteParser: the request is read whole (its error answered)
_.will_close  # SiteChannel: the connection closes after the answer
# pytest prints a report's longrepr with it (tutorial/ci/failure_summary.py: ReadableRepr).
_.toterminal
# sqlite3 builds each row with it (mock_site/db.py).
_.row_factory
# Markdown calls it on an extension (tutorial/documento/tutorial_doc.py).
_.extendMarkdown
# aiosmtpd calls it on a handler (tests/test_mail.py).
_.handle_DATA
# Read only by the templates (mock_site/templates/): Installer, Tutorial, Price.
_.descripcion
_.titulo
_.resumen
_.precio
_.nota
# Written to screenshots/figuras.json with the renderer's other fields (tutorial/figuras/renderer.py).
_.version_text
# A fixture imported so that pytestmark's usefixtures finds it by name (tests/test_processes.py).
_.no_process_left_behind
