from corp.auth import login, _hash
from corp.auth.tokens import revoke


def charge(): pass
