from corp.auth.users import _hash
