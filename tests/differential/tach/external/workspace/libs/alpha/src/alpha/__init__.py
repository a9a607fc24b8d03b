import attr
import yaml
