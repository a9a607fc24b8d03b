from app.services import checkout
from app.domain.order import Order
from app.infra import db
from app.api import routes
from app.shared import log
