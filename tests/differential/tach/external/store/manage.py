import yaml
import pygments
