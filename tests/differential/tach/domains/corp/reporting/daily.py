from corp.auth.tokens import issue
from corp.payments.cards import charge
from corp.auth import User
