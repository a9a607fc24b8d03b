import gen.api.handlers
