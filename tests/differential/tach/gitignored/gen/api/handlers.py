import gen.store
from gen.api import generated_client
from gen.build import output
