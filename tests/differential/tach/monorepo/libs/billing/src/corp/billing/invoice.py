from corp.auth import tokens
from corelib import money
