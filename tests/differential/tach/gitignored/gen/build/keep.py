import gen.api
