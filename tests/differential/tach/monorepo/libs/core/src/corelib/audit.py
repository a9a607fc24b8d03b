import api


def record():
    from api.routes import handle

    return api, handle
