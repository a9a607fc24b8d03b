import desk.core.models
