import yaml
import numpy
