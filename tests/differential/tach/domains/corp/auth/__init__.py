from corp.auth.users import User, login, _hash
