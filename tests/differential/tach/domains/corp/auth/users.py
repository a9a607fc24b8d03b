from corp.auth.tokens import issue
from corp.payments import charge


class User: pass


def login(): pass


def _hash(): pass
