"""Audio plugins: see hub.web.routes for where they are served."""
from hub.core import register

PLUGINS = [
    "hub.plugins.video",
    "hub.web.routes",
    "hub.web.routes.index",
    "hub.web",
    "hub.core.registry._internal",
    "hub.core.Registry",
    "hub.web.missing.name",
    "hub.web.routes.a.b",
    "hub.web.*",
    f"hub.web.routes",
    b"hub.web.routes",
    " hub.web.routes",
    "hub.web.routes ",
]
HANDLER = ("hub.web."
           "routes")
TEMPLATE = """
hub.web.routes"""
DEFAULT = r"hub.web.views"
ESCAPED = "hub.web.\x72outes"
SILENCED = "hub.web.routes"  # tach-ignore
NAMED = "hub.web.views"  # tach-ignore hub.web.routes


def load():
    return register("hub.web.views.render")


class Setting:
    target: "hub.web.views.View"
    default = {"handler": "hub.web.routes"}
