import pytest
import store.web
import requests
