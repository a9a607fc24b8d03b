from app.services.checkout import run
from app.infra import db
from app.shared.log import info


class Order:
    pass
