import corelib.money
