import api.routes
from api.internal import SECRET
from api import handle
from corelib import money
from scripts import seed
from corp.auth import (
    tokens,
)
from jobs import nightly
