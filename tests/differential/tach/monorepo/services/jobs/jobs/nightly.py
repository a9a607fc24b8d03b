import web.views
from api.internal import SECRET
