from app.ui import views
from app.services.checkout import run
