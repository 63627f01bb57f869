"""A Sphinx extension for the course's website (tools/build_site.py loads it).

Jupyter Book 1 always loads sphinx-thebe, whose configuration script lands twice in every
page under Sphinx 7 ("Identifier 'THEBE_JS_URL' has already been declared" in the console).
The site runs no code, so thebe's scripts are dropped from every page.
"""


def _is_thebe(script):
    name = str(getattr(script, "filename", script) or "")
    body = getattr(script, "attributes", {}).get("body", "")
    return "thebe" in name or "THEBE_JS_URL" in body


def drop_thebe(app, pagename, templatename, context, doctree):
    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if not _is_thebe(s)]


def setup(app):
    app.connect("html-page-context", drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
