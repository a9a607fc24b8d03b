from api.routes import handle
