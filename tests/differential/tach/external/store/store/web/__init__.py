from jinja2 import Template
import yaml
import pygments
from store.core import model
import store.util
