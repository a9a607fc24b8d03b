ROUTES = {"audio": "hub.plugins.audio", "self": "hub.web.routes"}
