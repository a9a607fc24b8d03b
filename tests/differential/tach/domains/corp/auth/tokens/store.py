from corp.auth import User
