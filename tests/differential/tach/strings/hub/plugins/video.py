import hub.core  # "hub.web.routes" in a comment is no string
