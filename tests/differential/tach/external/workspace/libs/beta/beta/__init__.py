import yaml
import attr
import alpha
